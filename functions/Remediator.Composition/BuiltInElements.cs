using Remediator.Core.Registry;
using Remediator.Detectors.Actions;
using Remediator.Detectors.EventBus;
using Remediator.Detectors.Iam;
using Remediator.Detectors.Tables;
using Remediator.Detectors.Timeouts;

namespace Remediator.Composition;

/// <summary>The registry of every built-in detector and action: what rule files may name.</summary>
public static class BuiltInElements
{
    public static ElementRegistry CreateRegistry() =>
        new ElementRegistry()
            .AddIamDetectors()
            .AddEventBusDetectors()
            .AddTimeoutDetectors()
            .AddTableDetectors()
            .AddStandardActions();
}
