using System.Text;

namespace Remediator.Core.Tests.Events;

/// <summary>Where the bundled fixtures are copied next to the test assembly, and small helpers to read them.</summary>
internal static class Fixtures
{
    public static string CloudTrail => Path.Combine(AppContext.BaseDirectory, "fixtures", "cloudtrail");

    public static string Shapes => Path.Combine(AppContext.BaseDirectory, "fixtures", "shapes");

    public static string Shape(string name) => Path.Combine(Shapes, name);

    public static string Real(string relative) => Path.Combine(CloudTrail, relative);

    public static IReadOnlyList<string> AllRealRecords() =>
        Directory.GetFiles(CloudTrail, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    public static List<EventReadResult> ReadAll(params string[] paths) =>
        new EventReader(EventReaderOptions.Default).Read(paths).ToList();

    public static List<EventReadResult> ReadText(string text, string name = "input.json", EventReaderOptions? options = null) =>
        ReadBytes(Encoding.UTF8.GetBytes(text), name, options);

    public static List<EventReadResult> ReadBytes(byte[] bytes, string name = "input.json", EventReaderOptions? options = null)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return new EventReader(options ?? EventReaderOptions.Default).Read(stream, name).ToList();
    }

    public static List<CloudTrailEvent> Events(this IEnumerable<EventReadResult> results) =>
        results.OfType<EventRead>().Select(r => r.Event).ToList();

    public static List<EventReadError> Errors(this IEnumerable<EventReadResult> results) =>
        results.OfType<EventReadError>().ToList();

    public static List<EventReadNote> Notes(this IEnumerable<EventReadResult> results) =>
        results.OfType<EventReadNote>().ToList();

    /// <summary>A temporary directory deleted on dispose.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "remediator-events-" + Guid.NewGuid().ToString("N"));

        public string File(string relative) => System.IO.Path.Combine(Path, relative);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a leftover temp dir is not a test failure
            }
        }
    }
}
