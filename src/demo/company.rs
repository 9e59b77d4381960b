//! The demo's company life: the CEO writes to everyone in "Company news",
//! the communicator announces an event, and managers pin the links their
//! spaces live by — so each role is seen doing its job.

use super::documents::{person, put, space};
use crate::app::AppState;
use crate::service::Result;
use crate::space_home::links::{self, LinkUrl};

pub async fn seed(state: &AppState) -> Result<()> {
    // Staff addresses are at lumen.example: inviting one as an external
    // person asks for a confirmation.
    let host = crate::organizations::service::list(&state.db, &crate::access::Actor::system())
        .await?
        .into_iter()
        .find(|o| o.kind == crate::organizations::OrgKind::Host)
        .ok_or(crate::service::Error::NotFound)?;
    crate::organizations::service::update(
        &state.db,
        &crate::access::Actor::system(),
        host.id,
        crate::organizations::service::Changes {
            name: None,
            domains: Some(vec![crate::service::EmailDomain::parse("lumen.example")?]),
        },
    )
    .await?;
    let claire = person(state, "claire.martin@lumen.example").await?;
    let emma = person(state, "emma.laurent@lumen.example").await?;
    let sofia = person(state, "sofia.almeida@lumen.example").await?;
    let lucas = person(state, "lucas.bernard@lumen.example").await?;

    // Each space says what it is for in both languages.
    for (slug, fr) in [
        (
            "company-news",
            "Annonces, événements et vie de Lumen Industries.",
        ),
        (
            "human-resources",
            "Règles, accueil des nouveaux et dossiers RH confidentiels.",
        ),
        (
            "engineering",
            "Notes de conception, normes et wiki de l’ingénierie.",
        ),
        (
            "nordhavn-warehouse-automation",
            "Espace projet partagé avec Nordhavn Logistics : plans, livrables et comptes rendus.",
        ),
        (
            "verdier-supply-quality",
            "Certificats, rapports de contrôle et demandes qualité avec Atelier Verdier.",
        ),
    ] {
        let changes = crate::spaces::service::Changes {
            description_fr: Some(fr.to_string()),
            ..crate::spaces::service::Changes::default()
        };
        let id = space(state, slug).await?;
        crate::spaces::service::update(&state.db, &crate::access::Actor::system(), id, changes)
            .await?;
    }
    let news = space(state, "company-news").await?;
    put(
        state,
        &claire,
        news,
        None,
        "Letter from the CEO — 2027 priorities.md",
        CEO_LETTER.as_bytes(),
        "",
    )
    .await?;
    put(
        state,
        &emma,
        news,
        None,
        "Winter party — 18 December.md",
        WINTER_PARTY.as_bytes(),
        "",
    )
    .await?;
    for (who, space_id, title, url) in [
        (
            &claire,
            news,
            "Engineering standards",
            "/spaces/engineering/files",
        ),
        (&emma, news, "People directory", "/people"),
        (
            &sofia,
            space(state, "nordhavn-warehouse-automation").await?,
            "Project plans",
            "/spaces/nordhavn-warehouse-automation/files",
        ),
        (
            &lucas,
            space(state, "verdier-supply-quality").await?,
            "ISO 9001 (standard overview)",
            "https://www.iso.org/iso-9001-quality-management.html",
        ),
    ] {
        links::add(&state.db, who, space_id, title, LinkUrl::parse(url)?).await?;
    }
    Ok(())
}

const CEO_LETTER: &str = "# Letter from the CEO — our priorities for 2027

Dear colleagues,

2026 was the year Lumen Industries became a partner, not only a supplier: the
Nordhavn warehouse automation is our largest project to date, and Atelier
Verdier's quality work made our assemblies better than ever.

For 2027 I ask three things of all of us:

1. **Deliver Nordhavn on time** — go-live in week 12, with the client at every
   steering committee.
2. **Quality first** — every incoming batch inspected, every certificate on file.
3. **Share what we know** — write it down in the engineering space, so that a
   new colleague finds it on day one.

Thank you for your work this year.

Claire Martin, CEO
";

const WINTER_PARTY: &str = "# Winter party — Friday 18 December

Join us in the north hall from 17:00: mulled wine, music, and the results of
the model-building contest. Families are welcome.

Tell Emma by 11 December if you bring children (there will be a workshop).
";
