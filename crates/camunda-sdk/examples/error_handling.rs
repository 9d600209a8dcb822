//! What errors look like: a key that does not parse (no request sent), a missing instance
//! (HTTP 404 with the server's problem detail), and a custom retry policy.
//!
//! ```sh
//! cargo run -p camunda-sdk --example error_handling
//! ```

use camunda_sdk::keys::ProcessInstanceKey;
use camunda_sdk::{CamundaClient, Error, RetryPolicy};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Keys are validated when they are made.
    match "not-a-key".parse::<ProcessInstanceKey>() {
        Ok(_) => unreachable!(),
        Err(e) => println!("invalid key: {e}"),
    }

    // Retry reads up to 5 times on 429/503/connection errors, waiting 100 ms .. 2 s.
    let client = CamundaClient::from_env()?.with_retry_policy(
        RetryPolicy::default()
            .max_attempts(5)
            .backoff(Duration::from_millis(100), Duration::from_secs(2)),
    );
    let key: ProcessInstanceKey = "2251799813685249".parse()?;
    match client.get_process_instance(&key).await {
        Ok(instance) => println!("found {:?}", instance.state),
        Err(Error::Http { status: 404, .. }) => println!("no such instance"),
        Err(e @ Error::Http { .. }) => {
            let detail = e.problem().and_then(|p| p.detail.clone());
            println!("HTTP {:?} from {:?}: {detail:?}", e.status(), e.operation());
        }
        Err(e) if e.is_retryable() => println!("transient, try later: {e}"),
        Err(e) => return Err(e),
    }
    Ok(())
}
