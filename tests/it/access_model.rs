//! Property: for random organizations, groups, spaces, memberships, folders
//! (nested, restricted to a minimum role or to listed people) and the files
//! in them, what every person sees — through the HTML pages, the JSON API,
//! listings and single objects — is exactly what an independent model of
//! the rules says, and an external person never meets another external
//! organization's name nor a file or folder hidden from them.

use crate::helpers::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::{BTreeSet, HashMap};

const KINDS: [&str; 4] = ["client", "partner", "supplier", "other"];
const ROLES: [&str; 3] = ["reader", "contributor", "manager"];

#[derive(Debug, Clone)]
enum MemberSpec {
    Person(u8),
    Group(u8),
    /// 0 is the host organization.
    Org(u8),
}

#[derive(Debug, Clone)]
struct WorldSpec {
    /// Kinds of the external organizations.
    orgs: Vec<u8>,
    /// (organization index, 0 = host; administrator?)
    people: Vec<(u8, bool)>,
    /// Members of each group, as person indices.
    groups: Vec<Vec<u8>>,
    /// Visibility of each space: open to all internal people?
    spaces: Vec<bool>,
    memberships: Vec<(u8, MemberSpec, u8)>,
    folders: Vec<FolderSpec>,
}

/// A folder with one file in it.
#[derive(Debug, Clone)]
struct FolderSpec {
    space: u8,
    /// Inside the folder listed before it, when that one is in the same space.
    nested: bool,
    /// 0 reader, 1 contributor, 2 manager; anything else: no minimum.
    min_role: u8,
    /// Restricted to these people (and the space's managers).
    listed: Option<Vec<u8>>,
}

fn folder_spec() -> impl Strategy<Value = FolderSpec> {
    (
        any::<u8>(),
        any::<bool>(),
        0u8..6,
        prop::option::weighted(0.4, prop::collection::vec(any::<u8>(), 0..=2)),
    )
        .prop_map(|(space, nested, min_role, listed)| FolderSpec {
            space,
            nested,
            min_role,
            listed,
        })
}

fn world_spec() -> impl Strategy<Value = WorldSpec> {
    let member = prop_oneof![
        any::<u8>().prop_map(MemberSpec::Person),
        any::<u8>().prop_map(MemberSpec::Group),
        any::<u8>().prop_map(MemberSpec::Org),
    ];
    (
        prop::collection::vec(0u8..4, 1..=3),
        prop::collection::vec((any::<u8>(), prop::bool::weighted(0.15)), 2..=8),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..=3), 0..=2),
        prop::collection::vec(any::<bool>(), 1..=4),
        prop::collection::vec((any::<u8>(), member, 0u8..3), 0..=10),
        prop::collection::vec(folder_spec(), 0..=4),
    )
        .prop_map(
            |(orgs, people, groups, spaces, memberships, folders)| WorldSpec {
                orgs,
                people,
                groups,
                spaces,
                memberships,
                folders,
            },
        )
}

/// The world as the model sees it, with every index resolved.
struct Model {
    /// Per person: organization index (0 = host), administrator.
    people: Vec<(usize, bool)>,
    groups: Vec<BTreeSet<usize>>,
    spaces: Vec<bool>,
    /// (space, member, role 0..3)
    memberships: Vec<(usize, Member, usize)>,
    org_count: usize,
    folders: Vec<Folder>,
}

/// A folder as the model sees it; its file is `Doc{index}Zq`, and each
/// space has a file at its root, `Root{space}Zq`.
struct Folder {
    space: usize,
    parent: Option<usize>,
    min_role: Option<usize>,
    listed: Option<BTreeSet<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    Person(usize),
    Group(usize),
    Org(usize),
}

impl Model {
    fn new(w: &WorldSpec) -> Model {
        let org_count = w.orgs.len() + 1;
        let mut people: Vec<(usize, bool)> = w
            .people
            .iter()
            .map(|(o, admin)| {
                let org = usize::from(*o) % org_count;
                (org, *admin && org == 0)
            })
            .collect();
        // At least one internal person and one external person.
        people[0] = (0, false);
        let last = people.len() - 1;
        people[last].0 = 1 + last % (org_count - 1);
        people[last].1 = false;
        let groups: Vec<BTreeSet<usize>> = w
            .groups
            .iter()
            .map(|g| g.iter().map(|i| usize::from(*i) % people.len()).collect())
            .collect();
        let mut memberships = Vec::new();
        let mut seen = BTreeSet::new();
        for (s, m, r) in &w.memberships {
            let space = usize::from(*s) % w.spaces.len();
            let member = match m {
                MemberSpec::Person(i) => Member::Person(usize::from(*i) % people.len()),
                MemberSpec::Group(i) if !groups.is_empty() => {
                    Member::Group(usize::from(*i) % groups.len())
                }
                MemberSpec::Group(i) | MemberSpec::Org(i) => {
                    Member::Org(usize::from(*i) % org_count)
                }
            };
            // One membership per member and space (the schema's rule).
            if seen.insert((space, format!("{member:?}"))) {
                memberships.push((space, member, usize::from(*r)));
            }
        }
        let mut folders: Vec<Folder> = Vec::new();
        for f in &w.folders {
            let space = usize::from(f.space) % w.spaces.len();
            let previous = folders.len().checked_sub(1);
            let parent = previous.filter(|i| f.nested && folders[*i].space == space);
            folders.push(Folder {
                space,
                parent,
                min_role: (f.min_role < 3).then_some(usize::from(f.min_role)),
                listed: f
                    .listed
                    .as_ref()
                    .map(|l| l.iter().map(|i| usize::from(*i) % people.len()).collect()),
            });
        }
        Model {
            people,
            groups,
            spaces: w.spaces.clone(),
            memberships,
            org_count,
            folders,
        }
    }

    fn internal(&self, p: usize) -> bool {
        self.people[p].0 == 0
    }

    fn is_member(&self, p: usize, m: Member) -> bool {
        match m {
            Member::Person(q) => q == p,
            Member::Group(g) => self.groups[g].contains(&p),
            Member::Org(o) => self.people[p].0 == o,
        }
    }

    /// The role (0 reader, 1 contributor, 2 manager) of `p` in `s`, if any.
    fn role(&self, p: usize, s: usize) -> Option<usize> {
        if self.people[p].1 {
            return Some(2);
        }
        let direct = self
            .memberships
            .iter()
            .filter(|(sp, m, _)| *sp == s && self.is_member(p, *m))
            .map(|(_, _, r)| *r)
            .max();
        direct.or((self.internal(p) && self.spaces[s]).then_some(0))
    }

    fn visible_spaces(&self, p: usize) -> BTreeSet<usize> {
        (0..self.spaces.len())
            .filter(|s| self.role(p, *s).is_some())
            .collect()
    }

    /// People `p` may see: everyone for the staff; for an external person,
    /// themself and whoever belongs to one of the spaces they belong to.
    fn visible_people(&self, p: usize) -> BTreeSet<usize> {
        if self.internal(p) {
            return (0..self.people.len()).collect();
        }
        let member_spaces: BTreeSet<usize> = self
            .memberships
            .iter()
            .filter(|(_, m, _)| self.is_member(p, *m))
            .map(|(s, _, _)| *s)
            .collect();
        let mut out: BTreeSet<usize> = [p].into();
        for (s, m, _) in &self.memberships {
            if member_spaces.contains(s) {
                for q in 0..self.people.len() {
                    if self.is_member(q, *m) {
                        out.insert(q);
                    }
                }
            }
        }
        out
    }

    /// Whether `p` sees folder `f` (and the file in it): they may read its
    /// space, and every folder on its path admits them — a minimum role
    /// they reach, a list they are on (managers pass lists).
    fn sees_folder(&self, p: usize, f: usize) -> bool {
        let Some(role) = self.role(p, self.folders[f].space) else {
            return false;
        };
        let mut at = Some(f);
        while let Some(i) = at {
            let folder = &self.folders[i];
            if folder.min_role.is_some_and(|min| role < min) {
                return false;
            }
            if folder
                .listed
                .as_ref()
                .is_some_and(|l| role < 2 && !l.contains(&p))
            {
                return false;
            }
            at = folder.parent;
        }
        true
    }

    fn visible_orgs(&self, p: usize) -> BTreeSet<usize> {
        if self.internal(p) {
            (0..self.org_count).collect()
        } else {
            // Their own and the host (index 0), whose people they work with.
            [self.people[p].0, 0].into()
        }
    }
}

/// What the model's indices are called in the running instance.
struct Built {
    app: TestApp,
    person_ids: Vec<i64>,
    space_ids: Vec<i64>,
    org_ids: Vec<i64>,
    org_names: Vec<String>,
    /// Per person: a session cookie and an API token.
    creds: Vec<(String, String)>,
    /// The file in each folder, and the file at each space's root.
    folder_docs: Vec<i64>,
    root_docs: Vec<i64>,
}

fn org_name(i: usize) -> String {
    if i == 0 {
        "Test Host".to_string()
    } else {
        format!("Zorg{i}Qx")
    }
}

async fn build(m: &Model, w: &WorldSpec) -> Built {
    let app = TestApp::spawn().await;
    let mut sql = String::new();
    for (i, k) in w.orgs.iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO organizations (slug, name, kind, created_at, updated_at) VALUES ('org-{}', '{}', '{}', 0, 0);\n",
            i + 1,
            org_name(i + 1),
            KINDS[usize::from(*k) % 4]
        ));
    }
    app.sql(&sql).await;
    let mut org_ids = vec![
        app.count("SELECT id FROM organizations WHERE kind = 'host'")
            .await,
    ];
    for i in 1..m.org_count {
        org_ids.push(
            app.count(&format!(
                "SELECT id FROM organizations WHERE slug = 'org-{i}'"
            ))
            .await,
        );
    }
    let mut sql = String::new();
    for (i, (org, admin)) in m.people.iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO people (org_id, email, display_name, is_admin, created_at, updated_at)
             VALUES ({}, 'p{i}@model.example', 'Pers{i}Kw', {}, 0, 0);\n",
            org_ids[*org],
            i32::from(*admin)
        ));
    }
    for (g, members) in m.groups.iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO groups (slug, name, created_at) VALUES ('grp-{g}', 'Grp{g}Kw', 0);\n"
        ));
        for p in members {
            sql.push_str(&format!(
                "INSERT INTO group_members (group_id, person_id) SELECT g.id, p.id FROM groups g, people p
                 WHERE g.slug = 'grp-{g}' AND p.email = 'p{p}@model.example';\n"
            ));
        }
    }
    for (s, internal) in m.spaces.iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO spaces (slug, name, visibility, created_at, updated_at) VALUES ('space-{s}', 'Spc{s}Vw', '{}', 0, 0);\n",
            if *internal { "internal" } else { "members" }
        ));
    }
    for (s, member, role) in &m.memberships {
        let (col, sel) = match member {
            Member::Person(p) => (
                "person_id",
                format!("(SELECT id FROM people WHERE email = 'p{p}@model.example')"),
            ),
            Member::Group(g) => (
                "group_id",
                format!("(SELECT id FROM groups WHERE slug = 'grp-{g}')"),
            ),
            Member::Org(o) => ("org_id", org_ids[*o].to_string()),
        };
        sql.push_str(&format!(
            "INSERT INTO space_members (space_id, {col}, role, added_at)
             SELECT id, {sel}, '{}', 0 FROM spaces WHERE slug = 'space-{s}';\n",
            ROLES[*role]
        ));
    }
    // Folders (each path is '/<ancestors' ids>/<own id>/'), their lists,
    // and one file in each folder and at each space's root.
    for (i, f) in m.folders.iter().enumerate() {
        let parent = f
            .parent
            .map(|p| format!("(SELECT id FROM folders WHERE name = 'Fold{p}Zq')"))
            .unwrap_or_else(|| "NULL".into());
        let min = f
            .min_role
            .map(|r| format!("'{}'", ROLES[r]))
            .unwrap_or_else(|| "NULL".into());
        sql.push_str(&format!(
            "INSERT INTO folders (space_id, parent_id, name, min_role, restricted_to_listed, created_at, updated_at)
             SELECT id, {parent}, 'Fold{i}Zq', {min}, {}, 0, 0 FROM spaces WHERE slug = 'space-{}';
             UPDATE folders SET path = coalesce((SELECT p.path FROM folders p WHERE p.id = folders.parent_id), '/') || id || '/'
             WHERE name = 'Fold{i}Zq';\n",
            i32::from(f.listed.is_some()),
            f.space
        ));
        for q in f.listed.iter().flatten() {
            sql.push_str(&format!(
                "INSERT INTO folder_access (folder_id, person_id)
                 SELECT f.id, p.id FROM folders f, people p WHERE f.name = 'Fold{i}Zq' AND p.email = 'p{q}@model.example';\n"
            ));
        }
    }
    let doc = |name: String, space: usize, folder: String| {
        format!(
            "INSERT INTO documents (space_id, folder_id, name, current_version, size, content_type, blob_hash, created_at, updated_at)
             SELECT id, {folder}, '{name}', 1, 4, 'text/plain', '{hash}', 0, 0 FROM spaces WHERE slug = 'space-{space}';
             INSERT INTO document_versions (document_id, number, blob_hash, size, content_type, original_name, created_at)
             SELECT id, 1, '{hash}', 4, 'text/plain', name, 0 FROM documents WHERE name = '{name}';\n",
            hash = "0".repeat(64)
        )
    };
    for (i, f) in m.folders.iter().enumerate() {
        sql.push_str(&doc(
            format!("Doc{i}Zq"),
            f.space,
            format!("(SELECT id FROM folders WHERE name = 'Fold{i}Zq')"),
        ));
    }
    for s in 0..m.spaces.len() {
        sql.push_str(&doc(format!("Root{s}Zq"), s, "NULL".into()));
    }
    app.sql(&sql).await;
    let mut folder_docs = Vec::new();
    for i in 0..m.folders.len() {
        folder_docs.push(
            app.count(&format!("SELECT id FROM documents WHERE name = 'Doc{i}Zq'"))
                .await,
        );
    }
    let mut root_docs = Vec::new();
    for s in 0..m.spaces.len() {
        root_docs.push(
            app.count(&format!(
                "SELECT id FROM documents WHERE name = 'Root{s}Zq'"
            ))
            .await,
        );
    }
    let mut person_ids = Vec::new();
    for i in 0..m.people.len() {
        person_ids.push(
            app.count(&format!(
                "SELECT id FROM people WHERE email = 'p{i}@model.example'"
            ))
            .await,
        );
    }
    let mut space_ids = Vec::new();
    for s in 0..m.spaces.len() {
        space_ids.push(
            app.count(&format!("SELECT id FROM spaces WHERE slug = 'space-{s}'"))
                .await,
        );
    }
    let mut creds = Vec::new();
    for (i, id) in person_ids.iter().enumerate() {
        let id = *id;
        let session = app
            .state
            .db
            .write(move |tx| {
                parvis::auth::session::create(
                    tx,
                    id,
                    None,
                    "model",
                    std::time::Duration::from_secs(3600),
                )
                .map_err(parvis::db::DbError::from)
            })
            .await
            .unwrap();
        let token = parvis::auth::tokens::create(
            &app.state.db,
            &parvis::access::Actor::cli(),
            &parvis::service::Email::parse(&format!("p{i}@model.example")).unwrap(),
            "model",
            parvis::auth::tokens::Scope::Read,
            None,
        )
        .await
        .unwrap();
        creds.push((
            session.token.expose().clone(),
            token.secret.expose().clone(),
        ));
    }
    Built {
        app,
        person_ids,
        space_ids,
        org_ids,
        org_names: (0..m.org_count).map(org_name).collect(),
        creds,
        folder_docs,
        root_docs,
    }
}

async fn fetch(b: &Built, p: usize, path: &str, api: bool) -> (u16, String) {
    let client = b.app.bare_client();
    let (session, token) = &b.creds[p];
    let req = client.get(b.app.url(path));
    let req = if api {
        req.bearer_auth(token)
    } else {
        req.header("cookie", format!("__Host-parvis_session={session}"))
    };
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

fn ids_in(body: &str) -> BTreeSet<i64> {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    v["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// Checks every principal against the model; returns the first disagreement.
async fn check(m: &Model, b: &Built) -> Result<(), String> {
    let index: HashMap<i64, usize> = b
        .person_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    for p in 0..m.people.len() {
        let who = format!("person {p} {:?}", m.people[p]);
        let spaces = m.visible_spaces(p);
        let people = m.visible_people(p);
        let orgs = m.visible_orgs(p);
        let foreign: Vec<&String> = if m.internal(p) {
            Vec::new()
        } else {
            b.org_names
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != 0 && *i != m.people[p].0)
                .map(|(_, n)| n)
                .collect()
        };
        let mut bodies = Vec::new();

        let want: BTreeSet<i64> = spaces.iter().map(|s| b.space_ids[*s]).collect();
        let (_, body) = fetch(b, p, "/api/v1/spaces?limit=200", true).await;
        if ids_in(&body) != want {
            return Err(format!(
                "{who}: API spaces {:?} != model {want:?}",
                ids_in(&body)
            ));
        }
        bodies.push(body);
        let (_, html) = fetch(b, p, "/spaces", false).await;
        for s in 0..m.spaces.len() {
            let shown = html.contains(&format!("Spc{s}Vw"));
            if shown != spaces.contains(&s) {
                return Err(format!("{who}: /spaces shows space {s}: {shown}"));
            }
            let (api_status, api_body) =
                fetch(b, p, &format!("/api/v1/spaces/{}", b.space_ids[s]), true).await;
            let (page_status, page) = fetch(b, p, &format!("/spaces/space-{s}"), false).await;
            let expected = if spaces.contains(&s) { 200 } else { 404 };
            if api_status != expected || page_status != expected {
                return Err(format!(
                    "{who}: space {s}: API {api_status}, page {page_status}, model {expected}"
                ));
            }
            if let Some(role) = m.role(p, s) {
                let v: serde_json::Value = serde_json::from_str(&api_body).unwrap_or_default();
                if v["role"] != ROLES[role] {
                    return Err(format!(
                        "{who}: space {s}: role {} != {}",
                        v["role"], ROLES[role]
                    ));
                }
            }
            bodies.push(api_body);
            bodies.push(page);
        }

        let want: BTreeSet<i64> = people.iter().map(|q| b.person_ids[*q]).collect();
        let (_, body) = fetch(b, p, "/api/v1/people?limit=200", true).await;
        // The administrator created by `init` is a person too: compare the model's people only.
        let got: BTreeSet<i64> = ids_in(&body)
            .into_iter()
            .filter(|id| index.contains_key(id))
            .collect();
        if got != want {
            return Err(format!("{who}: API people {got:?} != model {want:?}"));
        }
        bodies.push(body);
        let (_, html) = fetch(b, p, "/people", false).await;
        for q in 0..m.people.len() {
            if html.contains(&format!(">Pers{q}Kw<")) != people.contains(&q) {
                return Err(format!("{who}: /people shows person {q} wrongly"));
            }
            let expected = if people.contains(&q) { 200 } else { 404 };
            let (a, body) = fetch(b, p, &format!("/api/v1/people/{}", b.person_ids[q]), true).await;
            let (h, page) = fetch(b, p, &format!("/people/{}", b.person_ids[q]), false).await;
            if a != expected || h != expected {
                return Err(format!(
                    "{who}: person {q}: API {a}, page {h}, model {expected}"
                ));
            }
            bodies.push(body);
            bodies.push(page);
        }

        let want: BTreeSet<i64> = orgs.iter().map(|o| b.org_ids[*o]).collect();
        let (_, body) = fetch(b, p, "/api/v1/organizations?limit=200", true).await;
        if ids_in(&body) != want {
            return Err(format!(
                "{who}: API organizations {:?} != model {want:?}",
                ids_in(&body)
            ));
        }
        bodies.push(body);
        let (_, home) = fetch(b, p, "/", false).await;
        bodies.push(home);

        // Files: each one readable exactly when the model says, by the API
        // and the page; a hidden one, or its folder, never named.
        let mut hidden = Vec::new();
        let mut files: Vec<(i64, bool, String)> = Vec::new();
        for (f, id) in b.folder_docs.iter().enumerate() {
            let sees = m.sees_folder(p, f);
            files.push((*id, sees, format!("Doc{f}Zq")));
            if !sees {
                hidden.push(format!("Doc{f}Zq"));
                hidden.push(format!("Fold{f}Zq"));
            }
        }
        for (s, id) in b.root_docs.iter().enumerate() {
            files.push((*id, spaces.contains(&s), format!("Root{s}Zq")));
        }
        for (id, sees, name) in &files {
            let expected = if *sees { 200 } else { 404 };
            let (a, body) = fetch(b, p, &format!("/api/v1/documents/{id}"), true).await;
            let (h, page) = fetch(b, p, &format!("/files/{id}"), false).await;
            if a != expected || h != expected {
                return Err(format!(
                    "{who}: file {name}: API {a}, page {h}, model {expected}"
                ));
            }
            if *sees && !(body.contains(name.as_str()) && page.contains(name.as_str())) {
                return Err(format!("{who}: file {name} is readable but not named"));
            }
            bodies.push(body);
            bodies.push(page);
        }
        for s in &spaces {
            let (status, body) = fetch(
                b,
                p,
                &format!("/api/v1/spaces/{}/library?limit=500", b.space_ids[*s]),
                true,
            )
            .await;
            if status != 200 || !body.contains(&format!("Root{s}Zq")) {
                return Err(format!("{who}: library of space {s}: {status} {body}"));
            }
            for name in &hidden {
                if body.contains(name.as_str()) {
                    return Err(format!("{who}: the library of space {s} names {name}"));
                }
            }
            bodies.push(body);
        }

        for body in &bodies {
            for name in &foreign {
                if body.contains(name.as_str()) {
                    return Err(format!("{who} met the name of {name}"));
                }
            }
            // Spaces' pages, the home page, listings: a hidden file or folder nowhere.
            for name in &hidden {
                if body.contains(name.as_str()) {
                    return Err(format!("{who} met the hidden {name}"));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn pages_api_and_listings_agree_with_the_model_and_never_leak() {
    let cases = std::env::var("PARVIS_MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let mut runner = TestRunner::new(Config {
        cases,
        // Each case runs a whole instance; shrinking would take minutes.
        max_shrink_iters: 0,
        ..Config::default()
    });
    let rt = tokio::runtime::Runtime::new().unwrap();
    let result = runner.run(&world_spec(), |w| {
        let model = Model::new(&w);
        let outcome = rt.block_on(async {
            let built = build(&model, &w).await;
            check(&model, &built).await
        });
        prop_assert!(outcome.is_ok(), "{}\n{w:#?}", outcome.unwrap_err());
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
