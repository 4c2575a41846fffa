namespace Remediator.Core.Registry;

/// <summary>
/// Every detector and action the guard knows, registered explicitly (no assembly scanning, so NativeAOT keeps
/// exactly what is used). Rule validation, the JSON Schema and the engine all read this one registry.
/// </summary>
public sealed class ElementRegistry
{
    private readonly Dictionary<string, DetectorDescriptor> _detectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActionDescriptor> _actions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<DetectorDescriptor> Detectors => _detectors.Values;

    public IReadOnlyCollection<ActionDescriptor> Actions => _actions.Values;

    public ElementRegistry AddDetector(DetectorDescriptor descriptor)
    {
        if (!Concerns.IsKnown(descriptor.Concern))
        {
            throw new ArgumentException($"Detector '{descriptor.Name}' names unknown concern '{descriptor.Concern}'.", nameof(descriptor));
        }

        if (!_detectors.TryAdd(descriptor.Name, descriptor))
        {
            throw new ArgumentException($"Detector '{descriptor.Name}' is registered twice.", nameof(descriptor));
        }

        return this;
    }

    public ElementRegistry AddAction(ActionDescriptor descriptor)
    {
        if (!_actions.TryAdd(descriptor.Name, descriptor))
        {
            throw new ArgumentException($"Action '{descriptor.Name}' is registered twice.", nameof(descriptor));
        }

        return this;
    }

    public bool TryGetDetector(string name, out DetectorDescriptor descriptor) =>
        _detectors.TryGetValue(name, out descriptor!);

    public bool TryGetAction(string name, out ActionDescriptor descriptor) =>
        _actions.TryGetValue(name, out descriptor!);
}
