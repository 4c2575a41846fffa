using System.Text.Json;
using System.Text.Json.Nodes;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Operations;

/// <summary>
/// One step being carried out: its parameters, and what the handler learnt on the way (filled in as it goes, so
/// that a call that fails after the before-state was read still records that state).
/// </summary>
internal sealed class StepRun(AuditAction step)
{
    public AuditAction Step { get; } = step;

    public JsonObject Parameters => Step.Parameters;

    /// <summary>JSON text of the state before the call (<see cref="StepStates"/>).</summary>
    public string? Before { get; set; }

    /// <summary>JSON text of the state read back after the call.</summary>
    public string? After { get; set; }

    /// <summary>
    /// Set once the changing call has returned success: from then on a failure (of the re-read) must not make the
    /// step look failed, because the change was made.
    /// </summary>
    public bool Called { get; set; }

    /// <summary>True when the re-read shows the intended state.</summary>
    public bool Verified { get; set; }

    /// <summary>Why the step is done without being verified, or why nothing needed doing.</summary>
    public string? Note { get; set; }

    /// <summary>Records that nothing needed changing: the step is done (idempotent), with the reason.</summary>
    public void AlreadyThere(string state, string note)
    {
        Before = state;
        After = state;
        Verified = true;
        Note = note;
    }

    /// <summary>Two JSON documents mean the same (IAM may reorder or reformat what it stores).</summary>
    public static bool SameJson(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left == right;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(left), JsonNode.Parse(right));
        }
        catch (JsonException)
        {
            return string.Equals(left, right, StringComparison.Ordinal);
        }
    }
}
