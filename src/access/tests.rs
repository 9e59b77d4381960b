//! The role matrix on a small fixture: who sees which spaces and people.

use super::*;
use rusqlite::Connection;

fn fixture() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(include_str!("../db/migrations/0001_foundation.sql"))
        .unwrap();
    c.execute_batch(
        "INSERT INTO organizations VALUES (1,'host','Host','host',0,0),(2,'client','Client','client',0,0),(3,'rival','Rival','client',0,0);
         INSERT INTO people (id,org_id,email,display_name,is_admin,created_at,updated_at) VALUES
           (1,1,'admin@h.x','Admin',1,0,0),(2,1,'staff@h.x','Staff',0,0,0),
           (3,2,'ext@c.x','Ext',0,0,0),(4,2,'colleague@c.x','Colleague',0,0,0),
           (5,3,'rival@r.x','Rival',0,0,0),(6,1,'pm@h.x','PM',0,0,0);
         INSERT INTO groups VALUES (1,'pm-team','PM team','',0);
         INSERT INTO group_members VALUES (1,6);
         INSERT INTO spaces (id,slug,name,visibility,created_at,updated_at) VALUES
           (1,'news','News','internal',0,0),(2,'hr','HR','members',0,0),
           (3,'client-project','Client project','members',0,0),(4,'rival-project','Rival project','members',0,0);
         INSERT INTO space_members (space_id,person_id,group_id,org_id,role,added_at) VALUES
           (2,2,NULL,NULL,'manager',0),
           (3,3,NULL,NULL,'contributor',0),
           (3,NULL,1,NULL,'manager',0),
           (4,NULL,NULL,3,'reader',0);",
    )
    .unwrap();
    c
}

pub(super) fn principal(c: &Connection, id: i64) -> Principal {
    c.query_row(
        "SELECT p.org_id, o.kind, p.is_admin FROM people p JOIN organizations o ON o.id = p.org_id WHERE p.id = ?1",
        [id],
        |r| {
            let org_kind: OrgKind = r.get(1)?;
            Ok(Principal { person_id: id, org_id: r.get(0)?, org_kind, internal: org_kind == OrgKind::Host, admin: r.get(2)? })
        },
    )
    .unwrap()
}

fn ids(c: &Connection, table: &str, f: &SqlFilter) -> Vec<i64> {
    let sql = format!("SELECT x.id FROM {table} x WHERE {} ORDER BY x.id", f.sql);
    let mut st = c.prepare(&sql).unwrap();
    st.query_map(f.named().as_slice(), |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn space_visibility_matrix() {
    let c = fixture();
    // (person, spaces they must see, exactly)
    let table: &[(i64, &[i64])] = &[
        (1, &[1, 2, 3, 4]), // admin sees everything
        (2, &[1, 2]),       // staff: internal-open + own membership
        (3, &[3]),          // external: only the space they were granted
        (4, &[]),           // a colleague of an external member sees nothing of it
        (5, &[4]),          // rival org member through the org membership
        (6, &[1, 3]),       // internal through a group
    ];
    for (person, expected) in table {
        let p = principal(&c, *person);
        assert_eq!(
            ids(&c, "spaces", &spaces_filter(&p, "x")),
            *expected,
            "person {person}"
        );
    }
}

#[test]
fn people_visibility_matrix() {
    let c = fixture();
    let table: &[(i64, &[i64])] = &[
        (2, &[1, 2, 3, 4, 5, 6]), // internal sees the directory
        (3, &[3, 6]),             // external: self + co-members of space 3 (via group)
        (4, &[4]),                // nothing shared: only themself
        (5, &[5]),                // member via org of a space with nobody else
    ];
    for (person, expected) in table {
        let p = principal(&c, *person);
        assert_eq!(
            ids(&c, "people", &people_filter(&p, "x")),
            *expected,
            "person {person}"
        );
    }
}

#[test]
fn organizations_visibility() {
    let c = fixture();
    assert_eq!(
        ids(
            &c,
            "organizations",
            &organizations_filter(&principal(&c, 2), "x")
        ),
        vec![1, 2, 3]
    );
    assert_eq!(
        ids(
            &c,
            "organizations",
            &organizations_filter(&principal(&c, 3), "x")
        ),
        vec![1, 2],
        "an external person knows their own organization and the host, as can_see_organization says"
    );
    for (viewer, org, is_host) in [(3, 1, true), (3, 2, false), (3, 3, false), (5, 2, false)] {
        let p = principal(&c, viewer);
        let listed = ids(&c, "organizations", &organizations_filter(&p, "x")).contains(&org);
        assert_eq!(
            listed,
            can_see_organization(&p, org, is_host),
            "{viewer} {org}"
        );
    }
}

#[test]
fn admin_actions_need_an_internal_admin() {
    let c = fixture();
    assert!(require_admin(&Actor::cli()).is_ok());
    assert!(require_admin(&Actor::person(principal(&c, 1), None)).is_ok());
    assert!(matches!(
        require_admin(&Actor::person(principal(&c, 2), None)),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        require_admin(&Actor::anonymous(None)),
        Err(Error::Unauthorized)
    ));
    let forged = Principal {
        admin: true,
        internal: false,
        ..principal(&c, 3)
    };
    assert!(require_admin(&Actor::person(forged, None)).is_err());
}

#[test]
fn effective_roles_take_the_highest_membership() {
    let c = fixture();
    // Space 3: person 3 contributor directly; person 6 manager through the group.
    c.execute_batch(
        "INSERT INTO space_members (space_id, org_id, role, added_at) VALUES (3, 2, 'reader', 0);",
    )
    .unwrap();
    let role = |person: i64, space: i64| space_role(&c, &principal(&c, person), space).unwrap();
    assert_eq!(
        role(3, 3),
        Some(Role::Contributor),
        "direct contributor beats org reader"
    );
    assert_eq!(
        role(4, 3),
        Some(Role::Reader),
        "colleague reads through the organization"
    );
    assert_eq!(role(6, 3), Some(Role::Manager), "manager through the group");
    assert_eq!(
        role(1, 4),
        Some(Role::Manager),
        "administrators manage every space"
    );
    assert_eq!(role(2, 1), Some(Role::Reader), "internal-open space");
    assert_eq!(
        role(3, 1),
        None,
        "externals never read internal-open spaces"
    );
    assert_eq!(role(5, 3), None, "rival sees nothing");
    assert_eq!(role(2, 999), None, "missing space");
}

#[test]
fn space_actions_are_refused_as_not_found_or_forbidden() {
    let c = fixture();
    let actor = |person: i64| Actor::person(principal(&c, person), None);
    assert!(require_space(&c, &actor(3), 3, SpaceAction::Contribute).is_ok());
    assert!(matches!(
        require_space(&c, &actor(3), 3, SpaceAction::Manage),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        require_space(&c, &actor(5), 3, SpaceAction::Read),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        require_space(&c, &actor(5), 999, SpaceAction::Read),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        require_space(&c, &Actor::anonymous(None), 3, SpaceAction::Read),
        Err(Error::Unauthorized)
    ));
}

#[test]
fn the_listing_filter_and_the_role_agree() {
    let c = fixture();
    for person in 1..=6 {
        let p = principal(&c, person);
        let listed = ids(&c, "spaces", &spaces_filter(&p, "x"));
        for space in 1..=4 {
            let readable = space_role(&c, &p, space).unwrap().is_some();
            assert_eq!(
                listed.contains(&space),
                readable,
                "person {person} space {space}"
            );
        }
    }
}

#[test]
fn groups_are_known_to_internal_people_only() {
    let c = fixture();
    assert!(require_groups(&Actor::cli()).is_ok());
    assert!(require_groups(&Actor::person(principal(&c, 2), None)).is_ok());
    assert!(require_groups(&Actor::person(principal(&c, 1), None)).is_ok());
    // An external person, even one whose space a group manages, is told
    // there is nothing; a visitor is asked to sign in.
    assert!(matches!(
        require_groups(&Actor::person(principal(&c, 3), None)),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        require_groups(&Actor::anonymous(None)),
        Err(Error::Unauthorized)
    ));
    assert!(can_see_groups(&principal(&c, 6)) && !can_see_groups(&principal(&c, 5)));
}

#[test]
fn every_listing_takes_a_filter_and_the_shell_sees_everything() {
    let c = fixture();
    let shell = filter_for(&Actor::cli(), people_filter, "x").unwrap();
    assert_eq!(ids(&c, "people", &shell), vec![1, 2, 3, 4, 5, 6]);
    let ext = filter_for(&Actor::person(principal(&c, 3), None), people_filter, "x").unwrap();
    assert!(!ids(&c, "people", &ext).contains(&5));
    assert!(matches!(
        filter_for(&Actor::anonymous(None), people_filter, "x"),
        Err(Error::Unauthorized)
    ));
}

#[test]
fn invitations_come_from_internal_managers_of_every_space_named_or_administrators() {
    let c = fixture();
    let who = |id| Actor::person(principal(&c, id), None);
    let reader = |space| [(space, Role::Reader)];
    // Staff manages HR; the PM manages the client project through a group.
    assert!(require_invitation(&c, &who(2), &reader(2)).is_ok());
    assert!(require_invitation(&c, &who(6), &reader(3)).is_ok());
    assert!(require_invitation(&c, &who(2), &[(2, Role::Reader), (3, Role::Reader)]).is_err());
    assert!(matches!(
        require_invitation(&c, &who(2), &reader(3)),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        require_invitation(&c, &who(2), &[]),
        Err(Error::Invalid { .. })
    ));
    // Administrators and the shell, anywhere; externals never.
    assert!(require_invitation(&c, &who(1), &[]).is_ok());
    assert!(require_invitation(&c, &Actor::cli(), &reader(4)).is_ok());
    assert!(matches!(
        require_invitation(&c, &who(3), &reader(3)),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        require_invitation(&c, &Actor::anonymous(None), &reader(2)),
        Err(Error::Unauthorized)
    ));
}

#[test]
fn share_links_are_made_only_through_a_portal_that_allows_them() {
    struct Portal(bool);
    impl Audience for Portal {
        fn admits(&self, _: i64, _: OrgKind) -> bool {
            true
        }
        fn allows_share_links(&self) -> bool {
            self.0
        }
    }
    assert!(require_share_links(&Portal(true)).is_ok());
    assert!(matches!(
        require_share_links(&Portal(false)),
        Err(Error::Invalid { field: "share", .. })
    ));
}

#[test]
fn what_a_viewer_sees_of_a_person_and_who_manages_their_access() {
    let c = fixture();
    // Ext (3) is sponsored by the staff member (2).
    let ext = PersonFacts {
        id: 3,
        internal: false,
        sponsor: Some(2),
    };
    let staff = PersonFacts {
        id: 2,
        internal: true,
        sponsor: None,
    };
    let sees = |viewer: i64, p: &PersonFacts| person_fields(&principal(&c, viewer), p);
    // The person themself: everything but managing their own access.
    assert_eq!(
        sees(3, &ext),
        PersonFields {
            account: true,
            access: true,
            manage_access: false
        }
    );
    // Their sponsor: access details and the buttons; not the account's.
    assert_eq!(
        sees(2, &ext),
        PersonFields {
            account: false,
            access: true,
            manage_access: true
        }
    );
    // Another internal person sees the access details only.
    assert_eq!(
        sees(6, &ext),
        PersonFields {
            account: false,
            access: true,
            manage_access: false
        }
    );
    // An administrator sees and manages everything; nobody manages an internal's access.
    assert_eq!(
        sees(1, &ext),
        PersonFields {
            account: true,
            access: true,
            manage_access: true
        }
    );
    assert!(!sees(1, &staff).manage_access);
    // A colleague from the same client sees no more than the directory.
    assert_eq!(
        sees(4, &ext),
        PersonFields {
            account: false,
            access: false,
            manage_access: false
        }
    );
    assert!(require_sponsor(&Actor::person(principal(&c, 6), None), &ext).is_err());
    assert!(require_sponsor(&Actor::cli(), &ext).is_ok());
}

/// What the pages offer agrees with what the services allow, for every
/// person, space and action: `can` says yes exactly when `require_space`
/// does, and managing members exactly when `require_space_management` does.
#[test]
fn the_view_offers_exactly_what_the_services_allow() {
    let c = fixture();
    let mut offered = 0;
    for person in 1..=6 {
        let p = principal(&c, person);
        let actor = Actor::person(p, None);
        for space in 1..=4 {
            let Some(role) = space_role(&c, &p, space).unwrap() else {
                continue;
            };
            for action in [
                SpaceAction::Read,
                SpaceAction::Contribute,
                SpaceAction::Manage,
            ] {
                let allowed = require_space(&c, &actor, space, action).is_ok();
                assert_eq!(
                    can(role, action),
                    allowed,
                    "person {person} space {space} {action:?}"
                );
                offered += usize::from(allowed);
            }
            assert_eq!(
                can_manage_members(&p, role),
                require_space_management(&c, &actor, space).is_ok(),
                "person {person} members of space {space}"
            );
        }
    }
    assert!(offered > 5);
    // The client's contributor works in the space but never manages its members.
    let ext = principal(&c, 3);
    assert!(!can_manage_members(&ext, Role::Manager));
    assert!(may_hold_admin_scope(true, true));
    assert!(!may_hold_admin_scope(true, false));
    assert!(!may_hold_admin_scope(false, true));
}
