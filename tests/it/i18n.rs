//! Both languages: negotiated from the browser, chosen with the switch, saved for the person.

use crate::helpers::*;

#[tokio::test]
async fn the_browser_language_is_honoured() {
    let app = TestApp::spawn().await;
    let client = app.bare_client();
    let fr = client
        .get(app.url("/signin"))
        .header("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let html = fr.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"fr\">")
            && html.contains("Connexion")
            && html.contains("Mot de passe")
    );
    let en = client
        .get(app.url("/signin"))
        .header("accept-language", "en-GB")
        .send()
        .await
        .unwrap();
    let html = en.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"en\">")
            && html.contains("Sign in")
            && html.contains("Password")
    );
}

#[tokio::test]
async fn error_pages_speak_both_languages_and_leak_nothing() {
    let app = TestApp::spawn().await;
    let client = app.bare_client();
    let cases = [
        ("en", "/no/such/page", 404, "Page not found"),
        ("fr", "/no/such/page", 404, "Page introuvable"),
    ];
    for (lang, path, status, text) in cases {
        let res = client
            .get(app.url(path))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status);
        let html = res.text().await.unwrap();
        assert!(html.contains(text), "{lang} {path}: {html}");
        assert!(!html.contains("axum") && !html.contains("rusqlite") && !html.contains("src/"));
    }
    let res = client
        .put(app.url("/signin"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert!(res.text().await.unwrap().contains("Action impossible ici"));
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_saves_the_choice() {
    let app = TestApp::spawn().await;
    app.create_person("ana@test.example", "Ana Silva", None)
        .await;
    let client = app.signed_in("ana@test.example", PASSWORD).await;
    let res = post_form(
        &app,
        &client,
        "/people",
        "/language",
        &[("lang", "fr"), ("next", "/people")],
    )
    .await;
    assert_eq!(location(&res), "/people");
    let (_, html) = get_text(&client, &app.url("/people")).await;
    assert!(html.contains("Annuaire"), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE email = 'ana@test.example' AND locale = 'fr'")
            .await,
        1
    );
    // On a new device without the cookie, the saved choice wins over the browser's language.
    let other = app.signed_in("ana@test.example", PASSWORD).await;
    let html = other
        .get(app.url("/"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Bonjour Ana"), "{html}");
    // An unknown language is refused without changing anything.
    let res = post_form(&app, &client, "/people", "/language", &[("lang", "xx")]).await;
    assert_eq!(res.status(), 400);
}
