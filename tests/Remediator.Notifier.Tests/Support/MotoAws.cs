using System.Text.Json;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Remediator.Aws;
using Remediator.Aws.Sns;
using Remediator.Aws.Transport;
using Remediator.Testing;

namespace Remediator.Notifier.Tests.Support;

/// <summary>Clients pointed at the moto server, with its dummy credentials and none of the machine's environment.</summary>
public static class MotoAws
{
    public const string Region = "us-east-1";

    private static readonly BasicAWSCredentials Credentials = new(MotoServer.AccessKey, MotoServer.SecretKey);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static AwsClientOptions Options(MotoServer moto) => new()
    {
        Region = Region,
        EndpointUrl = moto.Endpoint,
        MaxAttempts = 2,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
    };

    public static AmazonSimpleSystemsManagementClient Ssm(MotoServer moto) =>
        new AwsSdkClients(Options(moto), Credentials, _ => null).CreateSsm();

    public static SnsClient Sns(MotoServer moto) =>
        new(Options(moto), new AwsTransportSettings { Credentials = Credentials, Environment = _ => null });

    /// <summary>What moto recorded as published to a topic: (message, subject) pairs, from its <c>/moto-api/data.json</c>.</summary>
    public static async Task<IReadOnlyList<(string Message, string? Subject)>> PublishedAsync(MotoServer moto, string topicArn)
    {
        using var response = await Http.GetAsync(new Uri(moto.Endpoint, "/moto-api/data.json"));
        response.EnsureSuccessStatusCode();
        using var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var published = new List<(string, string?)>();
        foreach (var topic in data.RootElement.GetProperty("sns").GetProperty("Topic").EnumerateArray())
        {
            if (topic.GetProperty("arn").GetString() != topicArn)
            {
                continue;
            }

            // Each sent notification is [message id, message, subject, attributes, group id].
            foreach (var sent in topic.GetProperty("sent_notifications").EnumerateArray())
            {
                published.Add((sent[1].GetString()!, sent[2].GetString()));
            }
        }

        return published;
    }
}
