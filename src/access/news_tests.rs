//! The news audience rule, from both sides, on a tangle of memberships: the
//! posts addressed to a person (`Addressed`) are exactly those whose
//! audience (`AUDIENCE`) holds the person, for every person and every post.

use super::news::{Addressed, addressed, in_audience};
use super::tests::principal;
use rusqlite::Connection;

fn addressed_to(c: &Connection, a: &Addressed, news: i64) -> bool {
    c.query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM news n WHERE n.id = ?1 AND {})",
            a.sql("n")
        ),
        [news],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn the_feed_and_the_audience_agree_for_every_person_and_post() {
    let dir = tempfile::tempdir().unwrap();
    let c = crate::db::open_single(
        &dir.path().join("parvis.db"),
        std::time::Duration::from_secs(5),
    )
    .unwrap();
    c.execute_batch(
        "INSERT INTO organizations (id, slug, name, kind, created_at, updated_at) VALUES
           (1,'host','Host','host',0,0),(2,'c1','C1','client',0,0),(3,'c2','C2','client',0,0),(4,'s1','S1','supplier',0,0);
         INSERT INTO people (id, org_id, email, display_name, is_admin, status, created_at, updated_at) VALUES
           (1,1,'a@h','A',1,'active',0,0),(2,1,'b@h','B',0,'active',0,0),(3,1,'c@h','C',0,'active',0,0),
           (4,2,'d@c1','D',0,'active',0,0),(5,2,'e@c1','E',0,'active',0,0),(6,3,'f@c2','F',0,'active',0,0),
           (7,4,'g@s1','G',0,'active',0,0),(8,1,'h@h','H',0,'disabled',0,0),(9,2,'i@c1','I',0,'active',0,0);
         INSERT INTO groups (id, slug, name, created_at) VALUES (1,'g1','G1',0),(2,'g2','G2',0);
         -- An external person in a group: groups address internal people only.
         INSERT INTO group_members VALUES (1,2),(1,4),(2,3);
         INSERT INTO spaces (id, slug, name, visibility, created_at, updated_at) VALUES
           (1,'open','Open','internal',0,0),(2,'closed','Closed','members',0,0),(3,'shared','Shared','members',0,0);
         INSERT INTO space_members (space_id, person_id, group_id, org_id, role, added_at) VALUES
           (2,NULL,2,NULL,'reader',0),(3,4,NULL,NULL,'reader',0),(3,NULL,NULL,3,'reader',0),(2,9,NULL,NULL,'manager',0);
         INSERT INTO portals (id, slug, name, created_at, updated_at) VALUES (10,'p','P',0,0);
         INSERT INTO portal_audience (portal_id, org_kind, org_id) VALUES (10,'supplier',NULL),(10,NULL,2);",
    )
    .unwrap();
    let targets = [
        "('internal', NULL, NULL)",
        "('space', 1, NULL)",
        "('space', 2, NULL)",
        "('space', 3, NULL)",
        "('org', 2, NULL)",
        "('org', 4, NULL)",
        "('org_kind', NULL, 'client')",
        "('org_kind', NULL, 'host')",
        "('group', 1, NULL)",
        "('group', 2, NULL)",
        "('portal', 10, NULL)",
    ];
    // Every target alone, and pairs of them.
    let mut posts = Vec::new();
    for (i, a) in targets.iter().enumerate() {
        posts.push(vec![*a]);
        for b in &targets[i + 1..] {
            posts.push(vec![*a, *b]);
        }
    }
    for (n, ts) in posts.iter().enumerate() {
        let id = n as i64 + 1;
        c.execute(
            "INSERT INTO news (id, title, body, publish_at, created_at, updated_at) VALUES (?1, 't', 'b', 0, 0, 0)",
            [id],
        )
        .unwrap();
        for t in ts {
            c.execute_batch(&format!(
                "INSERT INTO news_targets (news_id, kind, ref, org_kind) SELECT {id}, column1, column2, column3 FROM (VALUES {t});"
            ))
            .unwrap();
        }
    }
    let mut addressed_pairs = 0;
    for person in 1..=9 {
        let p = principal(&c, person);
        let a = addressed(&c, &p).unwrap();
        for news in 1..=posts.len() as i64 {
            let from_person = addressed_to(&c, &a, news);
            let from_post = in_audience(&c, news, person).unwrap();
            // A disabled account is in no audience; its feed is never read.
            if person != 8 {
                assert_eq!(
                    from_person,
                    from_post,
                    "person {person}, post {news}: {:?}",
                    posts[news as usize - 1]
                );
            } else {
                assert!(!from_post);
            }
            addressed_pairs += usize::from(from_post);
        }
    }
    assert!(addressed_pairs > 100, "{addressed_pairs}");
    // Spot checks, so that agreeing on nothing cannot pass.
    let single = |t: &str| posts.iter().position(|p| p == &vec![t]).unwrap() as i64 + 1;
    assert!(in_audience(&c, single("('group', 1, NULL)"), 2).unwrap());
    assert!(
        !in_audience(&c, single("('group', 1, NULL)"), 4).unwrap(),
        "an external person in a group"
    );
    assert!(
        in_audience(&c, single("('space', 3, NULL)"), 6).unwrap(),
        "through the organization"
    );
    assert!(
        in_audience(&c, single("('space', 1, NULL)"), 3).unwrap(),
        "an internal space"
    );
    assert!(!in_audience(&c, single("('space', 1, NULL)"), 4).unwrap());
    assert!(
        in_audience(&c, single("('portal', 10, NULL)"), 7).unwrap(),
        "by kind"
    );
    assert!(
        in_audience(&c, single("('portal', 10, NULL)"), 5).unwrap(),
        "by organization"
    );
    assert!(!in_audience(&c, single("('portal', 10, NULL)"), 6).unwrap());
    assert!(
        !in_audience(&c, single("('space', 2, NULL)"), 1).unwrap(),
        "an administrator is not addressed by power"
    );
}
