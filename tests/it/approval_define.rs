//! A space's managers define and change flows on a page: an example that
//! works as it is, the whole checked with each mistake named by its step,
//! what was typed kept, and a change made a new version.

use crate::approvals::{member, world};
use crate::helpers::*;

#[tokio::test]
async fn a_manager_defines_and_changes_a_flow_on_the_page() {
    let w = world().await;
    let sofia = w.app.signed_in("sofia@host.example", PASSWORD).await;
    let page = "/spaces/deal/approvals";
    let (status, html) = get_text(&sofia, &w.app.url(page)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Define or change a flow") && html.contains("deadline_days"));
    // The example works as it is; only the name is asked.
    let example = html
        .split("name=\"definition\"")
        .nth(1)
        .and_then(|t| t.split_once('>'))
        .and_then(|(_, t)| t.split_once("</textarea>"))
        .map(|(t, _)| {
            t.replace("&quot;", "\"")
                .replace("&#34;", "\"")
                .replace("&#x22;", "\"")
                .replace("&#39;", "'")
        })
        .expect("the example");
    let save = "/spaces/deal/approvals/templates";
    let res = post_form(
        &w.app,
        &sofia,
        page,
        save,
        &[("name", "Review"), ("definition", &example)],
    )
    .await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());

    // Mistakes: named, with their step, in the reader's language; what was
    // typed stays; nothing is kept.
    let bad_step = r#"{"steps": [{"name": "One", "approvers": [{"type": "role", "role": "manager"}]},
                                 {"name": "Two", "approvers": []}]}"#;
    for (definition, said) in [
        ("{not json", "This flow is not written as a flow template"),
        (bad_step, "Step 2: Each step needs at least one approver."),
    ] {
        let res = post_form(
            &w.app,
            &sofia,
            page,
            save,
            &[("name", "Broken"), ("definition", definition)],
        )
        .await;
        assert_eq!(res.status(), 400);
        let html = res.text().await.unwrap();
        assert!(html.contains(said), "{said}: {html}");
        assert!(html.contains("value=\"Broken\""), "the name stays");
    }
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM approval_templates WHERE name = 'Broken'")
            .await,
        0
    );

    // Changed: the editor opens with it, and saving makes version 2.
    let id = w
        .app
        .count("SELECT id FROM approval_templates WHERE name = 'Review'")
        .await;
    let (_, html) = get_text(&sofia, &w.app.url(&format!("{page}?edit={id}"))).await;
    assert!(html.contains("value=\"Review\""));
    let changed = example.replace("\"deadline_days\": 3", "\"deadline_days\": 5");
    assert_ne!(changed, example);
    let res = post_form(
        &w.app,
        &sofia,
        page,
        save,
        &[("name", "Review"), ("definition", &changed)],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = get_text(&sofia, &w.app.url(page)).await;
    assert!(
        html.contains("v2") && html.contains("5 working days"),
        "{html}"
    );

    // A contributor sees the flows, neither editor nor a way to save.
    let (_, carl) = member(&w, "carl@host.example", "Carl Contributor", "contributor").await;
    let _ = carl;
    let contributor = w.app.signed_in("carl@host.example", PASSWORD).await;
    let (status, html) = get_text(&contributor, &w.app.url(page)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Review") && !html.contains("define-form"));
    let res = post_form(
        &w.app,
        &contributor,
        page,
        save,
        &[("name", "Mine"), ("definition", &example)],
    )
    .await;
    assert_eq!(res.status(), 404);
}
