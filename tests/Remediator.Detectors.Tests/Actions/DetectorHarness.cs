using System.Text.Json;
using Remediator.Core;
using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Ports;
using Remediator.Core.Ports.Offline;
using Remediator.Core.Registry;

namespace Remediator.Detectors.Tests.Actions;

/// <summary>
/// Loads fixture records and runs a detector the way the engine does: options bound through the descriptor from the
/// spec defaults plus the given values, offline ports unless a test hands in its own.
/// </summary>
internal static class DetectorHarness
{
    public static CloudTrailEvent Load(string fixturePath) =>
        Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", fixturePath)));

    public static CloudTrailEvent Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CloudTrailEvent.TryCreate(document.RootElement, default, out var problem)
            ?? throw new InvalidOperationException(problem);
    }

    public static object Bind(DetectorDescriptor descriptor, params (string Name, object? Value)[] options)
    {
        var values = descriptor.Options.Where(s => s.Default is not null).ToDictionary(s => s.Name, s => s.Default);
        foreach (var (name, value) in options)
        {
            values[name] = value;
        }

        return descriptor.BindOptions(new OptionValues(values));
    }

    public static ResourceStatePorts Ports(
        IEventBusStatePort? eventBus = null,
        ILambdaStatePort? lambda = null,
        IApiGatewayStatePort? apiGateway = null,
        IDynamoDbStatePort? dynamoDb = null) =>
        OfflineStatePorts.Create() with
        {
            EventBus = eventBus ?? OfflineEventBusStatePort.Instance,
            Lambda = lambda ?? OfflineLambdaStatePort.Instance,
            ApiGateway = apiGateway ?? OfflineApiGatewayStatePort.Instance,
            DynamoDb = dynamoDb ?? OfflineDynamoDbStatePort.Instance,
        };

    public static async Task<IReadOnlyList<Finding>> DetectAsync(
        DetectorDescriptor descriptor,
        CloudTrailEvent ev,
        object? options = null,
        ResourceStatePorts? ports = null,
        Severity severity = Severity.High) =>
        await descriptor.Detector.DetectAsync(
            new DetectionContext(ev, "test-rule", severity, options ?? Bind(descriptor), ports ?? Ports()),
            CancellationToken.None);

    public static Task<IReadOnlyList<Finding>> DetectAsync(DetectorDescriptor descriptor, string fixturePath, object? options = null, ResourceStatePorts? ports = null) =>
        DetectAsync(descriptor, Load(fixturePath), options, ports);
}
