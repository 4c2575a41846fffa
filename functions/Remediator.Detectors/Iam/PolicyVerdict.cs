namespace Remediator.Detectors.Iam;

/// <summary>
/// What one check found in one statement (or, with <see cref="StatementIndex"/> -1, in the document as a whole),
/// before it becomes a <c>Finding</c> about a concrete resource.
/// </summary>
/// <param name="Check">One of <see cref="IamChecks"/>.</param>
/// <param name="StatementIndex">0-based statement, or -1 for the whole document.</param>
/// <param name="Lowered">True when the rule's severity drops one step (a Condition narrows the grant, or the document could not be read).</param>
/// <param name="Summary">Completes "&lt;what&gt; ...", e.g. "allows every action on every resource".</param>
/// <param name="Evidence">The offending statement, the matched pattern, and why.</param>
internal sealed record PolicyVerdict(string Check, int StatementIndex, bool Lowered, string Summary, IReadOnlyList<string> Evidence)
{
    /// <summary>The highest severity this verdict may have, whatever the rule says: severity follows reach (a compute path
    /// is below IAM write on everything; a read-only wildcard or a PassRole to services that run no caller code is low).</summary>
    public Remediator.Core.Severity? SeverityCap { get; init; }

    /// <summary>False when the verdict rests on something uncertain (a narrowing or unknown condition, a grant that needs
    /// another policy to matter): such a finding is reported, never reverted.</summary>
    public bool Confident { get; init; } = true;

    private const int MaxQuotedDocumentLength = 300;

    /// <summary>The document (or part of it) could not be read: a finding of its own, one step lower.</summary>
    public static PolicyVerdict Unparseable(PolicyDocument document)
    {
        var evidence = document.Problems.Select(p => "why: " + p).ToList();
        var text = document.Text ?? string.Empty;
        evidence.Add("document: " + (text.Length <= MaxQuotedDocumentLength ? text : text[..MaxQuotedDocumentLength] + "…"));
        var summary = document.IsUnreadable
            ? "could not be read as a policy, so it could not be judged"
            : "has statements that could not be read; the others were judged";
        return new PolicyVerdict(IamChecks.UnparseableDocument, -1, Lowered: true, summary, evidence);
    }

    /// <summary>Evidence lines shared by every statement-level verdict.</summary>
    public static List<string> StatementEvidence(PolicyStatement statement, string matched, string why) =>
    [
        $"{statement.Label}: {statement.CompactJson}",
        "matched: " + matched,
        "why: " + why,
    ];
}
