using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Remediator.Runtime;

/// <summary>
/// How an exception is described to Lambda and in logs: the <c>errorType</c>, <c>errorMessage</c> and <c>stackTrace</c>
/// members that Lambda's own runtimes use, so that error reports and on-failure destinations look familiar.
/// </summary>
internal static class ExceptionFormat
{
    public static string ErrorType(Exception exception) =>
        exception is FunctionErrorException typed ? typed.ErrorType : exception.GetType().Name;

    /// <summary>The body of an <c>/error</c> or <c>/init/error</c> post: <c>{"errorMessage","errorType","stackTrace":[...]}</c>.</summary>
    public static ReadOnlyMemory<byte> ErrorBody(Exception exception, string errorType) =>
        Serialize(writer => WriteMembers(writer, exception, errorType));

    /// <summary>An error body for a failure that has no exception (e.g. a response the Runtime API refused).</summary>
    public static ReadOnlyMemory<byte> ErrorBody(string errorMessage, string errorType) =>
        Serialize(writer =>
        {
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
            writer.WriteStartArray("stackTrace");
            writer.WriteEndArray();
        });

    public static void WriteMembers(Utf8JsonWriter writer, Exception exception, string errorType)
    {
        writer.WriteString("errorMessage", exception.Message);
        writer.WriteString("errorType", errorType);
        writer.WriteStartArray("stackTrace");
        foreach (var line in StackTraceLines(exception))
        {
            writer.WriteStringValue(line);
        }

        writer.WriteEndArray();
    }

    /// <summary>The frames of the exception and of its inner exceptions, one line each, inner ones introduced by their type and message.</summary>
    public static IEnumerable<string> StackTraceLines(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (!ReferenceEquals(current, exception))
            {
                yield return $"---> {current.GetType().Name}: {current.Message}";
            }

            if (current.StackTrace is not { } trace)
            {
                continue;
            }

            foreach (var line in trace.Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.Length > 0)
                {
                    yield return trimmed;
                }
            }
        }
    }

    private static ReadOnlyMemory<byte> Serialize(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
