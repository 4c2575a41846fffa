using System.Text.Json;

namespace Remediator.Core.Events.Reading;

internal enum ScanKind
{
    /// <summary>A complete JSON value to classify; the receiver disposes <see cref="ScanItem.Document"/>.</summary>
    Unit,
    Error,
    Note,

    /// <summary>A record the reader's interest declined, judged from its bytes alone.</summary>
    NotWanted,
    End,
}

internal readonly record struct ScanItem(ScanKind Kind, string Position, JsonDocument? Document, string? Message)
{
    public static ScanItem EndOfInput => new(ScanKind.End, string.Empty, null, null);

    public static ScanItem Unit(JsonDocument document, string position) => new(ScanKind.Unit, position, document, null);

    public static ScanItem NotWanted => new(ScanKind.NotWanted, string.Empty, null, null);

    public static ScanItem Error(string position, string message) => new(ScanKind.Error, position, null, message);

    public static ScanItem Note(string position, string message) => new(ScanKind.Note, position, null, message);
}
