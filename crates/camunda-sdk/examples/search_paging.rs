//! Every process instance, fetched page by page as the stream is read.
//!
//! ```sh
//! cargo run -p camunda-sdk --example search_paging
//! ```

use camunda_sdk::CamundaClient;
use futures::{StreamExt, TryStreamExt};

#[tokio::main]
async fn main() -> Result<(), camunda_sdk::Error> {
    let client = CamundaClient::from_env()?;
    // 100 per request, at most 1,000 in all; the next page is fetched only when needed.
    let mut instances = client
        .search_process_instances()
        .limit(100)
        .stream()
        .take(1_000);
    let mut n = 0;
    while let Some(instance) = instances.try_next().await? {
        n += 1;
        println!(
            "{} {} {:?}",
            instance.process_instance_key, instance.process_definition_id, instance.state
        );
    }
    println!("{n} instance(s)");
    Ok(())
}
