using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Remediator.Runtime;

/// <summary>
/// Writes one JSON object as one line. CloudWatch Logs splits the stream on newlines, so a record (log line or EMF
/// document) must never span two lines, and two writers must never interleave inside one line.
/// </summary>
internal static class JsonLine
{
    // Relaxed escaping keeps log lines readable ("<", "'" and non-ASCII text stay as they are). The lines are read
    // by CloudWatch and people, never embedded in HTML, so the HTML-safe default buys nothing here.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static void Write<TState>(TextWriter output, TState state, Action<Utf8JsonWriter, TState> writeObject)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeObject(writer, state);
            writer.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>ISO 8601 in UTC with milliseconds and a <c>Z</c>, the form CloudWatch Logs Insights parses as a time.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
