//! The demo's news: the communicator writes to all clients, the CEO asks
//! everyone to acknowledge the updated code of conduct (and some already
//! have), and a project space's manager tells its client what comes next.

use super::documents::{person, space};
use crate::access::Actor;
use crate::app::AppState;
use crate::news::model::{Draft, Publish};
use crate::news::service::{self, Extras};
use crate::service::{Email, Error, Result, Slug};

/// A flat banner, for a cover.
fn banner(top: [u8; 3], band: [u8; 3]) -> Result<crate::portals::Image> {
    let (w, h) = (640u32, 240u32);
    let img = image::RgbImage::from_fn(w, h, |_, y| {
        image::Rgb(if (150..180).contains(&y) { band } else { top })
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| Error::Internal(e.to_string()))?;
    crate::portals::Image::parse(out.into_inner())
}

fn draft(title: &str, body: &str, targets: Vec<crate::access::news::Target>) -> Draft {
    Draft {
        title: title.into(),
        body: body.into(),
        targets,
        publish: Publish::Now,
        expires_at: None,
        pinned: false,
        requires_ack: false,
    }
}

pub async fn seed(state: &AppState) -> Result<()> {
    // Emma writes for the whole instance: she is a communicator.
    let communicators = state
        .db
        .read(|c| {
            Ok::<String, Error>(c.query_row(
                "SELECT slug FROM groups WHERE writes_news = 1 ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )?)
        })
        .await?;
    crate::groups::service::set_member(
        &state.db,
        &Actor::system(),
        &Slug::parse(&communicators)?,
        &Email::parse("emma.laurent@lumen.example")?,
        true,
    )
    .await?;
    let emma = person(state, "emma.laurent@lumen.example").await?;
    let claire = person(state, "claire.martin@lumen.example").await?;
    let sofia = person(state, "sofia.almeida@lumen.example").await?;

    let clients = draft(
        "New partner portal opening: support hours extended",
        "From **January**, our support team answers partner requests from 8:00 to 19:00, \
         Monday to Friday.\n\n- Requests and tickets: on this portal\n- Urgent matters: +33 1 44 55 66 00\n\n\
         Thank you for your trust.",
        vec![crate::access::news::Target::OrgKind(
            crate::domain::OrgKind::Client,
        )],
    );
    let extras = Extras {
        cover: Some(Some(banner([46, 111, 190], [250, 250, 250])?)),
        ..Extras::default()
    };
    service::create(&state.db, &emma, None, clients, extras).await?;

    let company_news = space(state, "company-news").await?;
    let conduct = Draft {
        pinned: true,
        requires_ack: true,
        ..draft(
            "Updated code of conduct — please acknowledge",
            "Our code of conduct was updated to cover **remote work** and the use of \
             **generative AI tools**.\n\n1. Read the summary below.\n2. Open the full text in Human Resources.\n\
             3. Confirm with the button on this page.\n\n> Respect, honesty and care for our clients remain our first rules.",
            Vec::new(),
        )
    };
    let conduct = service::create(
        &state.db,
        &claire,
        Some(company_news),
        conduct,
        Extras::default(),
    )
    .await?;
    for email in ["julien.moreau@lumen.example", "thomas.leroy@lumen.example"] {
        let reader = person(state, email).await?;
        service::acknowledge(&state.db, &reader, conduct).await?;
    }
    let party = draft(
        "End-of-year celebration on 18 December",
        "Join us at 18:00 in the atrium. Families welcome!",
        Vec::new(),
    );
    service::create(
        &state.db,
        &emma,
        Some(company_news),
        party,
        Extras::default(),
    )
    .await?;

    let nordhavn = space(state, "nordhavn-warehouse-automation").await?;
    let phase = draft(
        "Phase 2 starts: robot cell installation",
        "The robot cell arrives on site in week 3. The updated plan is in the library; \
         the steering committee meets on the 12th.",
        Vec::new(),
    );
    service::create(&state.db, &sofia, Some(nordhavn), phase, Extras::default()).await?;
    Ok(())
}
