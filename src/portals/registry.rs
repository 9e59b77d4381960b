//! Every portal in memory, so that resolving the `Host` header of a request
//! costs a hash lookup. Reloaded after a change made in this process, and
//! every few seconds so that changes from the CLI arrive too.

use super::model::{Hostname, Portal};
use crate::db::Db;
use crate::service::Result;
use arc_swap::ArcSwap;
use std::collections::HashMap;
use std::sync::Arc;

pub struct PortalSet {
    /// Who must use a second factor, instance-wide (it rides along with the portals).
    pub mfa_policy: crate::auth::mfa::Policy,
    default: Arc<Portal>,
    by_host: HashMap<String, Arc<Portal>>,
    all: Vec<Arc<Portal>>,
}

impl PortalSet {
    pub fn new(portals: Vec<Portal>, mfa_policy: crate::auth::mfa::Policy) -> PortalSet {
        let all: Vec<Arc<Portal>> = portals.into_iter().map(Arc::new).collect();
        let default = all
            .iter()
            .find(|p| p.is_default)
            .cloned()
            .unwrap_or_else(|| Arc::new(Portal::fallback()));
        let by_host = all
            .iter()
            .flat_map(|p| p.hostnames.iter().map(move |h| (h.clone(), p.clone())))
            .collect();
        PortalSet {
            mfa_policy,
            default,
            by_host,
            all,
        }
    }

    /// The portal a `Host` header names, or the default one.
    pub fn resolve(&self, host: Option<&str>) -> Arc<Portal> {
        host.and_then(Hostname::from_header)
            .and_then(|h| self.by_host.get(h.as_str()).cloned())
            .unwrap_or_else(|| self.default.clone())
    }

    pub fn default_portal(&self) -> Arc<Portal> {
        self.default.clone()
    }

    pub fn by_id(&self, id: i64) -> Option<Arc<Portal>> {
        self.all.iter().find(|p| p.id == id).cloned()
    }

    pub fn all(&self) -> &[Arc<Portal>] {
        &self.all
    }

    /// Every portal's host names, for a self-signed certificate.
    pub fn hostnames(&self) -> Vec<String> {
        let mut names: Vec<String> = self.by_host.keys().cloned().collect();
        names.sort();
        names
    }
}

/// The shared, swappable set.
#[derive(Clone)]
pub struct Registry(Arc<ArcSwap<PortalSet>>);

impl Registry {
    pub async fn load(db: &Db) -> Result<Registry> {
        let set = read(db).await?;
        Ok(Registry(Arc::new(ArcSwap::from_pointee(set))))
    }

    pub fn current(&self) -> Arc<PortalSet> {
        self.0.load_full()
    }

    pub async fn reload(&self, db: &Db) -> Result<()> {
        let set = read(db).await?;
        self.0.store(Arc::new(set));
        Ok(())
    }
}

async fn read(db: &Db) -> Result<PortalSet> {
    let (portals, policy) = db
        .read(|c| {
            Ok::<_, crate::service::Error>((
                super::store::load_all(c)?,
                crate::auth::mfa::Policy::load(c)?,
            ))
        })
        .await?;
    Ok(PortalSet::new(portals, policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_selects_the_portal() {
        let mut main = Portal::fallback();
        main.id = 1;
        let mut extranet = Portal::fallback();
        extranet.id = 2;
        extranet.is_default = false;
        extranet.hostnames = vec!["extranet.example".into()];
        let set = PortalSet::new(vec![main, extranet], Default::default());
        assert_eq!(set.resolve(Some("Extranet.Example:8443")).id, 2);
        assert_eq!(set.resolve(Some("intranet.example")).id, 1);
        assert_eq!(set.resolve(Some("[::1]:8443")).id, 1);
        assert_eq!(set.resolve(None).id, 1);
        assert_eq!(set.resolve(Some("bad host\u{0}")).id, 1);
    }
}
