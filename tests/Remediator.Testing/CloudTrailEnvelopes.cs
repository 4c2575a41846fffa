using System.Globalization;
using System.Text.Json.Nodes;

namespace Remediator.Testing;

/// <summary>EventBridge deliveries of CloudTrail records, as the guards receive them, for calls made in moto's account.</summary>
public static class CloudTrailEnvelopes
{
    /// <summary>An IAM call by the user <c>alice</c>, with fresh event and delivery ids.</summary>
    /// <param name="account">The account the change happened in (recipientAccountId); moto's own by default.</param>
    public static string IamCall(string eventName, JsonObject requestParameters, DateTimeOffset eventTime, string region = "us-east-1", string account = MotoServer.AccountId) =>
        new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = "aws.iam",
            ["account"] = account,
            ["region"] = region,
            ["detail"] = new JsonObject
            {
                ["eventSource"] = "iam.amazonaws.com",
                ["eventName"] = eventName,
                ["eventID"] = Guid.NewGuid().ToString(),
                ["eventTime"] = eventTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["awsRegion"] = region,
                ["recipientAccountId"] = account,
                ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = $"arn:aws:iam::{MotoServer.AccountId}:user/alice" },
                ["requestParameters"] = requestParameters,
            },
        }.ToJsonString();
}
