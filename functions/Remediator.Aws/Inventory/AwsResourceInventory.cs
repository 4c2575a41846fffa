using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.DynamoDBv2.Model;
using Amazon.SecurityToken.Model;
using Remediator.Aws.Iam;
using Remediator.Aws.Protocols;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Core;
using Remediator.Core.Ports;
using Remediator.Core.Sweep;
using PortKind = Remediator.Core.Ports.IamPrincipalKind;

namespace Remediator.Aws.Inventory;

/// <summary>
/// What exists in one account and region, listed a page at a time and described with bounded concurrency per page,
/// through the same signed clients (and so the same retry and back-off) as the guards. Memory holds one page.
/// A resource whose description fails is yielded as a <see cref="DescribeFailure"/>; a listing whose page fails past
/// its retries yields one failure for the listing and ends that listing only.
/// </summary>
public sealed class AwsResourceInventory : IResourceInventory, IDisposable
{
    private const int MaxPages = 10_000;

    private readonly AwsClients _clients;
    private readonly AwsClientOptions _options;
    private readonly AwsTransportSettings _settings;
    private readonly int _concurrency;
    private readonly AwsTransport _iamTransport;
    private readonly QueryProtocol _iam;
    private readonly AwsTransport _eventsTransport;
    private readonly JsonProtocol _events;
    private readonly AwsTransport _lambdaTransport;
    private readonly RestJsonProtocol _lambda;
    private readonly AwsTransport _apiTransport;
    private readonly RestJsonProtocol _api;
    private readonly AwsTransport _apiV2Transport;
    private readonly RestJsonProtocol _apiV2;
    private readonly AwsDynamoDbStatePort _tables;
    private string? _account;

    /// <param name="clients">The clients of the account being swept (assumed-role credentials for a member account).</param>
    /// <param name="settings">The same credentials and handler as <paramref name="clients"/>.</param>
    /// <param name="concurrency">Describe calls in flight at once within one page.</param>
    public AwsResourceInventory(AwsClients clients, AwsTransportSettings settings, int concurrency = 4)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _clients = clients;
        _options = clients.Options;
        _settings = settings;
        _concurrency = concurrency;
        _iamTransport = new AwsTransport(AwsService.Iam, _options, settings);
        _iam = new QueryProtocol(_iamTransport, IamOperations.ApiVersion);
        _eventsTransport = new AwsTransport(AwsService.EventBridge, _options, settings);
        _events = new JsonProtocol(_eventsTransport, "AWSEvents");
        _lambdaTransport = new AwsTransport(AwsService.Lambda, _options, settings);
        _lambda = new RestJsonProtocol(_lambdaTransport);
        _apiTransport = new AwsTransport(AwsService.ApiGateway, _options, settings);
        _api = new RestJsonProtocol(_apiTransport);
        _apiV2Transport = new AwsTransport(AwsService.ApiGatewayV2, _options, settings);
        _apiV2 = new RestJsonProtocol(_apiV2Transport);
        _tables = new AwsDynamoDbStatePort(clients.DynamoDb, clients.KeyManagement);
    }

    public string Region => _options.Region;

    public async ValueTask<string> AccountAsync(CancellationToken cancellationToken)
    {
        if (_account is null)
        {
            using var sts = new AwsSdkClients(_options, _settings.Credentials, _settings.Environment).CreateSts();
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
            _account = identity.Account;
        }

        return _account;
    }

    public IAsyncEnumerable<DescribedResource> ListAsync(string concern, CancellationToken cancellationToken) => concern switch
    {
        Concerns.IamBroadPermissions => IamAsync(cancellationToken),
        Concerns.PublicEventBus => EventBusesAsync(cancellationToken),
        Concerns.MissingTimeout => TimeoutsAsync(cancellationToken),
        Concerns.UnencryptedTable => TablesAsync(cancellationToken),
        _ => throw new ArgumentException($"unknown concern '{concern}'", nameof(concern)),
    };

    private async IAsyncEnumerable<DescribedResource> IamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in PrincipalsAsync(InventoryOperations.ListRoles, "Roles", PortKind.Role, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }

        await foreach (var item in PrincipalsAsync(InventoryOperations.ListUsers, "Users", PortKind.User, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }

        await foreach (var item in PrincipalsAsync(InventoryOperations.ListGroups, "Groups", PortKind.Group, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }

        await foreach (var page in IamPagesAsync(InventoryOperations.ListPolicies, "customer-managed policies", new QueryParameters().Add("Scope", "Local"), cancellationToken).ConfigureAwait(false))
        {
            if (page.Failure is not null)
            {
                yield return page.Failure with { FailedConcern = Concerns.IamBroadPermissions };
                yield break;
            }

            foreach (var policy in Xml.Members(page.Result, "Policies"))
            {
                yield return new DescribedManagedPolicy(Xml.Text(policy, "Arn") ?? "", Xml.Text(policy, "DefaultVersionId") ?? "");
            }
        }
    }

    /// <summary>Each principal of a page described at once (bounded), then yielded in page order: trust, inline, attached.</summary>
    private async IAsyncEnumerable<DescribedResource> PrincipalsAsync(
        AwsOperation list, string listName, PortKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in IamPagesAsync(list, listName, new QueryParameters(), cancellationToken).ConfigureAwait(false))
        {
            if (page.Failure is not null)
            {
                yield return page.Failure;
                yield break;
            }

            var principals = Xml.Members(page.Result, listName).ToList();
            var described = new List<DescribedResource>[principals.Count];
            using var gate = new SemaphoreSlim(_concurrency);
            await Task.WhenAll(principals.Select(async (element, i) =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    described[i] = await DescribePrincipalAsync(kind, element, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
            foreach (var items in described)
            {
                foreach (var item in items)
                {
                    yield return item;
                }
            }
        }
    }

    private async Task<List<DescribedResource>> DescribePrincipalAsync(PortKind kind, XElement element, CancellationToken cancellationToken)
    {
        var name = Xml.Text(element, kind switch { PortKind.Role => "RoleName", PortKind.User => "UserName", _ => "GroupName" }) ?? "";
        var arn = Xml.Text(element, "Arn") ?? name;
        var items = new List<DescribedResource>();
        try
        {
            if (kind == PortKind.Role)
            {
                items.Add(new DescribedTrustPolicy(name, arn, IamClient.Decode(Xml.Text(element, "AssumeRolePolicyDocument"))));
            }

            var principal = new IamPrincipal(ToAws(kind), name);
            foreach (var policyName in await InlinePolicyNamesAsync(principal, cancellationToken).ConfigureAwait(false))
            {
                var inline = await _clients.Iam.GetInlinePolicyAsync(principal, policyName, cancellationToken).ConfigureAwait(false);
                items.Add(new DescribedInlinePolicy(kind, name, arn, policyName, inline.Document));
            }

            foreach (var attached in await _clients.Iam.ListAttachedPoliciesAsync(principal, cancellationToken).ConfigureAwait(false))
            {
                items.Add(new DescribedAttachment(kind, name, arn, attached.PolicyArn));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // What was described stands; the principal itself is reported failed so the operator sees the gap.
            items.Add(new DescribeFailure(arn, Concerns.IamBroadPermissions, ex.Message));
        }

        return items;
    }

    private async Task<IReadOnlyList<string>> InlinePolicyNamesAsync(IamPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.Kind == Iam.IamPrincipalKind.Role)
        {
            return await _clients.Iam.ListRolePoliciesAsync(principal.Name, cancellationToken).ConfigureAwait(false);
        }

        var (operation, member) = principal.Kind == Iam.IamPrincipalKind.User
            ? (InventoryOperations.ListUserPolicies, "UserName")
            : (InventoryOperations.ListGroupPolicies, "GroupName");
        var names = new List<string>();
        await foreach (var page in IamPagesAsync(operation, principal.ToString(), new QueryParameters().Add(member, principal.Name), cancellationToken).ConfigureAwait(false))
        {
            if (page.Failure is not null)
            {
                throw new InvalidOperationException(page.Failure.Error);
            }

            names.AddRange(Xml.Members(page.Result, "PolicyNames").Select(m => m.Value));
        }

        return names;
    }

    private readonly record struct IamPage(XElement? Result, DescribeFailure? Failure);

    private async IAsyncEnumerable<IamPage> IamPagesAsync(
        AwsOperation operation, string what, QueryParameters first, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var parameters = new QueryParameters();
            foreach (var (name, value) in first.Members)
            {
                parameters.Add(name, value);
            }

            XElement? result = null;
            DescribeFailure? failure = null;
            try
            {
                result = await _iam.CallAsync(operation, what, parameters.Add("Marker", marker), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure = new DescribeFailure($"iam:{operation.Name} ({what})", Concerns.IamBroadPermissions, ex.Message);
            }

            yield return new IamPage(result, failure);
            if (failure is not null)
            {
                yield break;
            }

            marker = Xml.Bool(result, "IsTruncated") ? Xml.Text(result, "Marker") : null;
            if (string.IsNullOrEmpty(marker))
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerable<DescribedResource> EventBusesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            JsonElement reply;
            DescribeFailure? failure = null;
            try
            {
                reply = await _events.CallAsync(InventoryOperations.ListEventBuses, "event-buses",
                    writer => writer.WriteStringIfSet("NextToken", token), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                reply = default;
                failure = new DescribeFailure("events:ListEventBuses", Concerns.PublicEventBus, ex.Message);
            }

            if (failure is not null)
            {
                yield return failure;
                yield break;
            }

            foreach (var bus in Json.Items(reply, "EventBuses"))
            {
                var name = Json.String(bus, "Name") ?? "default";
                yield return new DescribedEventBus(name, Json.String(bus, "Arn") ?? name, Json.String(bus, "Policy"));
            }

            token = Json.String(reply, "NextToken");
            if (string.IsNullOrEmpty(token))
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerable<DescribedResource> TimeoutsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in FunctionsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }

        await foreach (var item in RestIntegrationsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }

        await foreach (var item in HttpIntegrationsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private async IAsyncEnumerable<DescribedResource> FunctionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (reply, failure) in RestPagesAsync(_lambda, InventoryOperations.ListFunctions, "functions", Labels(), "Marker", "NextMarker", cancellationToken).ConfigureAwait(false))
        {
            if (failure is not null)
            {
                yield return new DescribeFailure("lambda:ListFunctions", Concerns.MissingTimeout, failure);
                yield break;
            }

            foreach (var function in Json.Items(reply, "Functions"))
            {
                var name = Json.String(function, "FunctionName") ?? "";
                yield return new DescribedFunction(name, Json.String(function, "FunctionArn") ?? name, Json.Int(function, "Timeout") ?? SweepEvents.LambdaDefaultTimeoutSeconds);
            }
        }
    }

    private async IAsyncEnumerable<DescribedResource> RestIntegrationsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (reply, failure) in RestPagesAsync(_api, InventoryOperations.GetRestApis, "restapis", Labels(), "position", "position", cancellationToken).ConfigureAwait(false))
        {
            if (failure is not null)
            {
                yield return new DescribeFailure("apigateway:GetRestApis", Concerns.MissingTimeout, failure);
                yield break;
            }

            foreach (var api in Json.Items(reply, "item"))
            {
                var apiId = Json.String(api, "id") ?? "";
                await foreach (var (resources, resourcesFailure) in RestPagesAsync(_api, InventoryOperations.GetResources, $"restapis/{apiId}",
                    Labels(("restapi_id", apiId)), "position", "position", cancellationToken, ("embed", "methods")).ConfigureAwait(false))
                {
                    if (resourcesFailure is not null)
                    {
                        yield return new DescribeFailure($"/restapis/{apiId}", Concerns.MissingTimeout, resourcesFailure);
                        break;
                    }

                    foreach (var resource in Json.Items(resources, "item"))
                    {
                        var resourceId = Json.String(resource, "id") ?? "";
                        var methods = Json.Member(resource, "resourceMethods");
                        if (methods.ValueKind != JsonValueKind.Object)
                        {
                            continue;
                        }

                        foreach (var method in methods.EnumerateObject())
                        {
                            yield return await RestIntegrationAsync(apiId, resourceId, method.Name, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
        }
    }

    private async Task<DescribedResource> RestIntegrationAsync(string apiId, string resourceId, string httpMethod, CancellationToken cancellationToken)
    {
        var described = new DescribedRestIntegration(apiId, resourceId, httpMethod, null);
        try
        {
            var integration = await _clients.ApiGateway.GetIntegrationAsync(apiId, resourceId, httpMethod, cancellationToken).ConfigureAwait(false);
            return described with { TimeoutInMillis = integration.TimeoutInMillis };
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return new DescribeFailure(described.Resource, Concerns.MissingTimeout, "no integration") { IsAbsent = true };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new DescribeFailure(described.Resource, Concerns.MissingTimeout, ex.Message);
        }
    }

    private async IAsyncEnumerable<DescribedResource> HttpIntegrationsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (reply, failure) in RestPagesAsync(_apiV2, InventoryOperations.GetApis, "v2/apis", Labels(), "nextToken", "nextToken", cancellationToken).ConfigureAwait(false))
        {
            if (failure is not null)
            {
                yield return new DescribeFailure("apigateway:GetApis", Concerns.MissingTimeout, failure);
                yield break;
            }

            foreach (var api in Json.Items(reply, "items"))
            {
                if (Json.String(api, "protocolType") is { } protocol && protocol != "HTTP")
                {
                    continue; // WebSocket APIs: the timeout rule judges REST and HTTP integrations
                }

                var apiId = Json.String(api, "apiId") ?? "";
                await foreach (var (integrations, integrationsFailure) in RestPagesAsync(_apiV2, InventoryOperations.GetIntegrations, $"v2/apis/{apiId}/integrations",
                    Labels(("apiId", apiId)), "nextToken", "nextToken", cancellationToken).ConfigureAwait(false))
                {
                    if (integrationsFailure is not null)
                    {
                        yield return new DescribeFailure($"/apis/{apiId}", Concerns.MissingTimeout, integrationsFailure);
                        break;
                    }

                    foreach (var integration in Json.Items(integrations, "items"))
                    {
                        yield return new DescribedHttpIntegration(apiId, Json.String(integration, "integrationId") ?? "", Json.Int(integration, "timeoutInMillis"));
                    }
                }
            }
        }
    }

    private static async IAsyncEnumerable<(JsonElement Reply, string? Failure)> RestPagesAsync(
        RestJsonProtocol protocol, AwsOperation operation, string what, Dictionary<string, string> labels, string tokenIn, string tokenOut,
        [EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, string Value)[] extra)
    {
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = extra.Select(e => KeyValuePair.Create(e.Name, e.Value)).ToList();
            if (token is not null)
            {
                query.Add(KeyValuePair.Create(tokenIn, token));
            }

            JsonElement reply = default;
            string? failure = null;
            try
            {
                reply = await protocol.CallAsync(operation, what, labels, query, null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure = ex.Message;
            }

            yield return (reply, failure);
            if (failure is not null)
            {
                yield break;
            }

            var next = Json.String(reply, tokenOut);
            if (string.IsNullOrEmpty(next) || next == token)
            {
                yield break;
            }

            token = next;
        }
    }

    private async IAsyncEnumerable<DescribedResource> TablesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? start = null;
        for (var page = 0; page < MaxPages; page++)
        {
            ListTablesResponse reply;
            DescribeFailure? failure = null;
            try
            {
                reply = await _clients.DynamoDb.ListTablesAsync(new ListTablesRequest { ExclusiveStartTableName = start }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                reply = new ListTablesResponse();
                failure = new DescribeFailure("dynamodb:ListTables", Concerns.UnencryptedTable, ex.Message);
            }

            if (failure is not null)
            {
                yield return failure;
                yield break;
            }

            var names = reply.TableNames ?? [];
            var described = new DescribedResource[names.Count];
            using var gate = new SemaphoreSlim(_concurrency);
            await Task.WhenAll(names.Select(async (name, i) =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    described[i] = await DescribeTableAsync(name, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
            foreach (var item in described)
            {
                yield return item;
            }

            start = reply.LastEvaluatedTableName;
            if (string.IsNullOrEmpty(start))
            {
                yield break;
            }
        }
    }

    private async Task<DescribedResource> DescribeTableAsync(string name, CancellationToken cancellationToken)
    {
        var arn = $"arn:aws:dynamodb:{Region}:{await AccountAsync(cancellationToken).ConfigureAwait(false)}:table/{name}";
        try
        {
            var encryption = await _tables.GetEncryptionAsync(name, cancellationToken).ConfigureAwait(false);
            return encryption is null
                ? new DescribeFailure(arn, Concerns.UnencryptedTable, "the table is gone") { IsAbsent = true }
                : new DescribedTable(name, arn, encryption);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new DescribeFailure(arn, Concerns.UnencryptedTable, ex.Message);
        }
    }

    private static Iam.IamPrincipalKind ToAws(PortKind kind) => kind switch
    {
        PortKind.Role => Iam.IamPrincipalKind.Role,
        PortKind.User => Iam.IamPrincipalKind.User,
        _ => Iam.IamPrincipalKind.Group,
    };

    private static Dictionary<string, string> Labels(params (string Name, string Value)[] labels) =>
        labels.ToDictionary(l => l.Name, l => l.Value, StringComparer.Ordinal);

    public void Dispose()
    {
        _iamTransport.Dispose();
        _eventsTransport.Dispose();
        _lambdaTransport.Dispose();
        _apiTransport.Dispose();
        _apiV2Transport.Dispose();
    }
}
