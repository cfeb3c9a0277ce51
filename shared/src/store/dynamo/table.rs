//! The table itself: the start-up check and `--create-table`.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::describe_table::{DescribeTableError, DescribeTableOutput};

use super::{DynamoStore, attr, describe, unavailable};
use crate::store::StoreError;

impl DynamoStore {
    /// The table exists with key `pk` (S) and TTL on `ttl`. The local server
    /// and the `health` function run this at start, so a misconfigured
    /// deployment shows up there rather than in a user's session.
    pub async fn check_table(&self) -> Result<(), StoreError> {
        let described = self.describe_table().await.map_err(|err| {
            StoreError::Unavailable(format!(
                "DynamoDB table {:?} is not usable ({}); create it with `malgomo-mcp --create-table`",
                self.table,
                describe(&err)
            ))
        })?;
        let key_ok = described.table().is_some_and(|table| {
            table
                .key_schema()
                .iter()
                .any(|k| k.attribute_name() == attr::PK)
        });
        if !key_ok {
            return Err(StoreError::Unavailable(format!(
                "DynamoDB table {:?} must have the string partition key {:?}",
                self.table,
                attr::PK
            )));
        }
        let ttl = self
            .client
            .describe_time_to_live()
            .table_name(&self.table)
            .send()
            .await
            .map_err(|err| unavailable(&err))?;
        let ttl_on = ttl.time_to_live_description().is_some_and(|d| {
            d.attribute_name() == Some(attr::TTL)
                && matches!(
                    d.time_to_live_status(),
                    Some(aws_sdk_dynamodb::types::TimeToLiveStatus::Enabled)
                        | Some(aws_sdk_dynamodb::types::TimeToLiveStatus::Enabling)
                )
        });
        if !ttl_on {
            return Err(StoreError::Unavailable(format!(
                "DynamoDB table {:?} needs TTL enabled on attribute {:?}; run `malgomo-mcp --create-table`",
                self.table,
                attr::TTL
            )));
        }
        Ok(())
    }

    /// Creates the table (on-demand billing) and enables TTL; idempotent.
    pub async fn create_table(&self) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
            TimeToLiveSpecification,
        };
        let build =
            |err: aws_sdk_dynamodb::error::BuildError| StoreError::Unavailable(err.to_string());
        let created = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(attr::PK)
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .map_err(build)?,
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(attr::PK)
                    .key_type(KeyType::Hash)
                    .build()
                    .map_err(build)?,
            )
            .send()
            .await;
        match created {
            Ok(_) => {}
            Err(err) if err.code() == Some("ResourceInUseException") => {}
            Err(err) => return Err(unavailable(&err)),
        }
        self.wait_active().await?;
        let ttl = self
            .client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(attr::TTL)
                    .enabled(true)
                    .build()
                    .map_err(build)?,
            )
            .send()
            .await;
        match ttl {
            Ok(_) => Ok(()),
            // Enabling TTL twice is refused with a ValidationException.
            Err(err) if self.check_table().await.is_ok() => {
                tracing::debug!(error = %describe(&err), "TTL already enabled");
                Ok(())
            }
            Err(err) => Err(unavailable(&err)),
        }
    }

    /// DescribeTable of our table.
    async fn describe_table(
        &self,
    ) -> Result<DescribeTableOutput, SdkError<DescribeTableError, HttpResponse>> {
        self.client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
    }

    async fn wait_active(&self) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::TableStatus;
        for _ in 0..60 {
            let described = self
                .describe_table()
                .await
                .map_err(|err| unavailable(&err))?;
            if described.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        Err(StoreError::Unavailable(format!(
            "DynamoDB table {:?} did not become active",
            self.table
        )))
    }
}
