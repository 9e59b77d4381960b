//! Requests from a CSV: a dry run names each bad line and keeps nothing;
//! the import keeps every line or none; the same file twice changes
//! nothing; only the type's agents may; through the API and the page.

use crate::discussions::token;
use crate::helpers::*;
use crate::role_matrix::fixture;
use serde_json::Value;

async fn import(app: &TestApp, who: &str, csv: &str, dry_run: bool) -> (u16, Value) {
    let res = app
        .bare_client()
        .post(app.url(&format!(
            "/api/v1/requests/support/import?space=50&dry_run={dry_run}"
        )))
        .bearer_auth(who)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(Value::Null))
}

const GOOD: &str = "external_id,title,status,requester,reference,amount,area\n\
    ERP-10,Order 10,new,reader@client.example,PO-10,\"1 234,50\",billing\n\
    ERP-11,Order 11,in-progress,reader@client.example,PO-11,99,delivery\n";

#[tokio::test]
async fn a_csv_is_checked_then_kept_whole_or_not_at_all() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let (rival, client, agent) = (token(&f, 1), token(&f, 2), token(&f, 4));
    let requests = || app.count("SELECT count(*) FROM requests");
    let before = requests().await;
    let audit = app.audit_count().await;

    // A file with three bad lines: each named with why; nothing kept.
    let bad = format!(
        "{GOOD}ERP-12,,new,reader@client.example,PO-12,5,billing\n\
         ERP-13,Order 13,new,nobody@nowhere.example,PO-13,5,billing\n\
         ERP-14,Order 14,new,reader@client.example,PO-14,5,catering\n"
    );
    for dry_run in [true, false] {
        let (s, r) = import(&app, &agent, &bad, dry_run).await;
        assert_eq!(s, 422, "{r}");
        assert_eq!(
            (r["kept"].as_bool(), r["refused"].as_u64()),
            (Some(false), Some(3)),
            "{r}"
        );
        let lines = r["lines"].as_array().unwrap();
        let refused: Vec<(u64, &str, &str)> = lines
            .iter()
            .filter(|l| l["outcome"] == "refused")
            .map(|l| {
                (
                    l["line"].as_u64().unwrap(),
                    l["code"].as_str().unwrap(),
                    l["field"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            refused,
            [
                (4, "request-title-required", "title"),
                (5, "request-import-requester-unknown", "requester"),
                (6, "request-field-not-a-choice", "area"),
            ]
        );
        assert_eq!(requests().await, before, "nothing kept");
    }
    assert_eq!(app.audit_count().await, audit, "nothing recorded");

    // A dry run of a good file: what would happen, nothing kept.
    let (s, r) = import(&app, &agent, GOOD, true).await;
    assert_eq!(
        (s, r["created"].as_u64(), r["kept"].as_bool()),
        (200, Some(2), Some(false)),
        "{r}"
    );
    assert_eq!(requests().await, before);
    // Then for real; the same file again changes nothing.
    let (s, r) = import(&app, &agent, GOOD, false).await;
    assert_eq!(
        (s, r["created"].as_u64(), r["kept"].as_bool()),
        (200, Some(2), Some(true)),
        "{r}"
    );
    assert_eq!(requests().await, before + 2);
    let (s, r) = import(&app, &agent, GOOD, false).await;
    assert_eq!((s, r["unchanged"].as_u64()), (200, Some(2)), "{r}");
    let amount = app
        .count("SELECT json_extract(fields, '$.amount.amount') FROM requests WHERE external_id = 'ERP-10'")
        .await;
    assert_eq!(amount, 123_450);
    // The client sees the order filed for them.
    let (s, list) = crate::discussions::get(&app, &client, "/api/v1/requests?type=support").await;
    assert_eq!(s, 200);
    assert!(list.to_string().contains("Order 10"), "{list}");

    // Whole-file mistakes, and callers who are not agents.
    let (s, r) = import(&app, &agent, "external_id,title,colour\nX,Y,red\n", true).await;
    assert_eq!(
        (s, r["code"].as_str(), r["item"].as_str()),
        (400, Some("request-import-column-unknown"), Some("colour")),
        "{r}"
    );
    let (s, r) = import(&app, &agent, "title\nY\n", true).await;
    assert_eq!(
        (s, r["code"].as_str()),
        (400, Some("request-import-column-missing")),
        "{r}"
    );
    let (s, r) = import(&app, &agent, "external_id,title\n\"unclosed,Y\nZ\n", true).await;
    assert_eq!(s, 400, "{r}");
    for who in [&client, &rival] {
        let (s, _) = import(&app, who, GOOD, false).await;
        assert_eq!(s, 404);
    }

    // The page: a check names the bad line in the reader's language.
    let web = &f.sessions[4];
    let (s, html) = get_text(web, &app.url("/requests/import")).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("<option value=\"\">"),
        "no default type or space: {html}"
    );
    let csrf = csrf_in(&html);
    let form = reqwest::multipart::Form::new()
        .text("type", "support")
        .text("space", "50")
        .text("mode", "check")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bad.into_bytes()).file_name("orders.csv"),
        );
    let res = web
        .post(app.url(&format!("/requests/import?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Nobody has this e-mail address."), "{html}");
    assert!(html.contains("nothing was imported"), "{html}");
    assert_eq!(requests().await, before + 2);
}
