namespace Remediator.Detectors.Timeouts;

/// <summary>Registers the timeout detectors with the registry.</summary>
public static class TimeoutElements
{
    public static ElementRegistry AddTimeoutDetectors(this ElementRegistry registry) =>
        registry
            .AddDetector(LambdaTimeoutDetector.Descriptor)
            .AddDetector(ApiIntegrationTimeoutDetector.Descriptor);
}
