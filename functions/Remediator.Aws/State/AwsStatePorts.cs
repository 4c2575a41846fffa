using Remediator.Core.Ports;

namespace Remediator.Aws.State;

/// <summary>The ports the detectors read current state through, on live AWS (or moto).</summary>
public static class AwsStatePorts
{
    public static ResourceStatePorts Create(AwsClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return new ResourceStatePorts(
            new AwsIamStatePort(clients.Iam),
            new AwsEventBusStatePort(clients.EventBridge),
            new AwsLambdaStatePort(clients.Lambda),
            new AwsApiGatewayStatePort(clients.ApiGateway, clients.ApiGatewayV2),
            new AwsDynamoDbStatePort(clients.DynamoDb, clients.KeyManagement),
            new AwsTagStatePort(clients));
    }
}
