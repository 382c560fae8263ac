//! Shared by the examples: a client for the real API (`RHOMBUS_API_KEY`, optional
//! `RHOMBUS_ENDPOINT_URL`) or, without a key, for a local simulator running the demo.

use rhombus_sim::{SimConfig, SimHandle};
use rhombus_transport::{Client, Error, USER_AGENT};

/// A client, and the simulator it talks to when there is no API key.
pub struct Target {
    /// The client.
    pub client: Client,
    /// The simulator (kept alive while the example runs), if one was started.
    pub sim: Option<SimHandle>,
}

/// Builds the client from the environment, starting a simulator when no key is set.
pub async fn target() -> Result<Target, Error> {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer(std::io::stderr)
        .init();
    let builder = Client::builder().user_agent_product(format!("example/{USER_AGENT}"));
    match std::env::var("RHOMBUS_API_KEY") {
        Ok(key) if !key.is_empty() => {
            let builder = match std::env::var("RHOMBUS_ENDPOINT_URL") {
                Ok(url) if !url.is_empty() => builder.base_url(url),
                _ => builder,
            };
            Ok(Target {
                client: builder.api_key(key).build()?,
                sim: None,
            })
        }
        _ => {
            let sim = rhombus_sim::start(SimConfig::demo())
                .await
                .expect("start the local simulator");
            eprintln!(
                "RHOMBUS_API_KEY is not set: using a local simulator at {}",
                sim.url()
            );
            let client = builder.base_url(sim.url()).api_key(sim.api_key()).build()?;
            Ok(Target {
                client,
                sim: Some(sim),
            })
        }
    }
}
