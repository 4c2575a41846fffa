namespace Remediator.Detectors.Actions;

/// <summary>Registers the remediation actions (revert, quarantine, tag, notify) with the registry.</summary>
public static class ActionElements
{
    public static ActionDescriptor Revert { get; } = new(
        ActionNames.Revert,
        "Undo the change with the detector's exact inverse (e.g. remove the public statement, restore the timeout).",
        RevertOptions.Specs,
        values => RevertOptions.Bind(values));

    public static ActionDescriptor Quarantine { get; } = new(
        ActionNames.Quarantine,
        "IAM principals only: contain the principal with a deny policy or permissions boundary when there is no exact revert.",
        QuarantineOptions.Specs,
        values => QuarantineOptions.Bind(values));

    public static ActionDescriptor Tag { get; } = new(
        ActionNames.Tag,
        "Tag the resource with the finding, so people and other tools see it.",
        TagOptions.Specs,
        values => TagOptions.Bind(values));

    public static ActionDescriptor Notify { get; } = new(
        ActionNames.Notify,
        "Send the finding to Slack or SNS when it is at least the minimum severity.",
        NotifyOptions.Specs,
        values => NotifyOptions.Bind(values));

    public static ElementRegistry AddStandardActions(this ElementRegistry registry) =>
        registry.AddAction(Revert).AddAction(Quarantine).AddAction(Tag).AddAction(Notify);
}
