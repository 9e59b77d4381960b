//! Re-entering one's password before a sensitive change (second factors,
//! e-mail address): a stolen, unattended session is not enough to take the
//! account over. Failures meet the same growing delays as sign-in.

use super::password::PasswordHasher;
use super::throttle::Throttle;
use crate::access::Actor;
use crate::db::Db;
use crate::service::{Error, Result};
use crate::util::Secret;

pub async fn confirm_password(
    db: &Db,
    hasher: &PasswordHasher,
    throttle: &Throttle,
    actor: &Actor,
    password: &Secret<String>,
) -> Result<()> {
    let p = *actor.principal().ok_or(Error::Unauthorized)?;
    let key = format!("reauth:{}", p.person_id);
    if let Some(wait) = throttle.wait(&key, actor.ip) {
        return Err(Error::TooMany { retry_after: wait });
    }
    let stored = db
        .read(move |c| Ok::<_, Error>(crate::people::store::password_hash(c, p.person_id)?))
        .await?;
    if hasher.verify(password, stored).await {
        throttle.succeed(&key, actor.ip);
        Ok(())
    } else {
        throttle.fail(&key, actor.ip);
        Err(Error::invalid("current_password", "current-password-wrong"))
    }
}
