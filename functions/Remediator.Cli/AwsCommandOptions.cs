using System.CommandLine;
using Remediator.Aws;
using Remediator.Aws.Audit;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Core.Audit;

namespace Remediator.Cli;

/// <summary>
/// The options every command that talks to AWS or to the audit trail shares, and what they build: the AWS clients
/// (credentials from the default chain, as the AWS CLI finds them) and the audit store (a DynamoDB table, or a local
/// JSON Lines file so the CLI works without AWS).
/// </summary>
public sealed class AwsCommandOptions
{
    public const string DefaultAuditFile = ".remediator/audit.jsonl";

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region. Default: AWS_REGION, then AWS_DEFAULT_REGION.",
    };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "Send every AWS call to this endpoint (as the AWS CLI's --endpoint-url; AWS_ENDPOINT_URL works too), e.g. a moto server.",
    };

    public Option<string?> AuditTable { get; } = new("--audit-table")
    {
        Description = "Record in (and read from) this DynamoDB audit table, as the deployed guard does.",
    };

    public Option<string?> AuditFile { get; } = new("--audit-file")
    {
        Description = $"Record in (and read from) this local JSON Lines file instead of DynamoDB. Default: {DefaultAuditFile}.",
    };

    public Option<string?> RoleArn { get; } = new("--role-arn")
    {
        Description = "Act in another account: assume this role there (deploy/organization.template creates one per concern). " +
            "The audit trail stays with your own credentials.",
    };

    public Option<string?> ExternalId { get; } = new("--external-id")
    {
        Description = "The sts:ExternalId the role's trust policy requires.",
    };

    public void AddTo(Command command, bool aws = true)
    {
        if (aws)
        {
            command.Options.Add(Region);
            command.Options.Add(EndpointUrl);
            command.Options.Add(RoleArn);
            command.Options.Add(ExternalId);
        }

        command.Options.Add(AuditTable);
        command.Options.Add(AuditFile);
    }

    /// <summary>Validated client options, or an error naming the problem.</summary>
    public AwsClientOptions ClientOptions(ParseResult parse)
    {
        var region = parse.GetValue(Region) ?? CliEnvironment.Read("AWS_REGION") ?? CliEnvironment.Read("AWS_DEFAULT_REGION");
        if (string.IsNullOrWhiteSpace(region))
        {
            throw new ArgumentException("no AWS region: give --region or set AWS_REGION.");
        }

        Uri? endpoint = null;
        if (parse.GetValue(EndpointUrl) is { } text && !Uri.TryCreate(text, UriKind.Absolute, out endpoint))
        {
            throw new ArgumentException($"--endpoint-url '{text}' is not an absolute URL.");
        }

        return new AwsClientOptions { Region = region, EndpointUrl = endpoint }.Validate();
    }

    /// <summary>The audit store the options name; a DynamoDB table needs the AWS options too.</summary>
    public IAuditStore Store(ParseResult parse, Func<AwsClientOptions> aws)
    {
        var table = parse.GetValue(AuditTable);
        var file = parse.GetValue(AuditFile);
        if (table is not null && file is not null)
        {
            throw new ArgumentException("give --audit-table or --audit-file, not both.");
        }

        if (table is not null)
        {
            return new DynamoDbAuditStore(new AwsSdkClients(aws()).CreateDynamoDb(), table);
        }

        return new JsonLinesAuditStore(file ?? DefaultAuditFile);
    }

    /// <summary>The credentials the clients sign with: the assumed role's session when --role-arn is given, else the default chain.</summary>
    public async Task<AwsTransportSettings> SettingsAsync(ParseResult parse, AwsClientOptions options, CancellationToken cancellationToken)
    {
        if (parse.GetValue(RoleArn) is not { } role)
        {
            return new AwsTransportSettings();
        }

        var credentials = await AssumedRole.CredentialsAsync(options, role, parse.GetValue(ExternalId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new AwsTransportSettings { Credentials = credentials };
    }

    /// <summary>The clients that act on resources: with the assumed role's session when --role-arn is given.</summary>
    public async Task<AwsClients> ClientsAsync(ParseResult parse, AwsClientOptions options, CancellationToken cancellationToken)
    {
        if (parse.GetValue(RoleArn) is not { } role)
        {
            return new AwsClients(options);
        }

        var credentials = await AssumedRole.CredentialsAsync(options, role, parse.GetValue(ExternalId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new AwsClients(options, new AwsTransportSettings { Credentials = credentials });
    }
}
