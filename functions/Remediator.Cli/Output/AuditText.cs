using System.Globalization;
using System.Text;
using Remediator.Core;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Cli.Output;

/// <summary>Audit records for people: one line each, or a block with every action, its before and after.</summary>
public static class AuditText
{
    public static string Line(AuditRecord record)
    {
        var outcome = record.IsDuplicateDelivery ? "duplicate" : record.Outcome.ToName();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{outcome.ToUpperInvariant(),-18} {record.Rule,-34} {Or(record.Resource, "-")}");
        if (record.Check is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  [{record.Severity?.ToName()} {record.Check}]");
        }

        if (record.Reason is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  ({record.Reason})");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n{"",-18} id {record.Id}");
        foreach (var action in record.Actions)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{"",-18}   {action.Outcome.ToName(),-13} {action.Operation} {action.Error}");
        }

        return text.ToString();
    }

    public static string Block(AuditRecord record)
    {
        var text = new StringBuilder(Line(record));
        text.Append(CultureInfo.InvariantCulture, $"\n  event {record.EventId} at {record.EventTime?.ToString("u", CultureInfo.InvariantCulture) ?? "?"} by {record.Actor ?? "?"}; mode {AuditNames.ToName(record.Mode)}; recorded {record.RecordedAt.ToString("u", CultureInfo.InvariantCulture)}");
        if (record.UndoneBy is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  undone by {record.UndoneBy}");
        }

        if (record.UndoOf is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  undo of {record.UndoOf}");
        }

        foreach (var action in record.Actions.Where(a => a.Before is not null || a.After is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {action.Operation}: before {StateText.Readable(action.Before)}\n  {new string(' ', action.Operation.Length)}  after  {StateText.Readable(action.After)}");
        }

        return text.ToString();
    }

    private static string Or(string text, string fallback) => string.IsNullOrEmpty(text) ? fallback : text;
}
