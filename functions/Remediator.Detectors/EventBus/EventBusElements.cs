namespace Remediator.Detectors.EventBus;

/// <summary>Registers the event-bus detectors with the registry.</summary>
public static class EventBusElements
{
    public static ElementRegistry AddEventBusDetectors(this ElementRegistry registry) =>
        registry.AddDetector(PublicEventBusPolicyDetector.Descriptor);
}
