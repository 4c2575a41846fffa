using System.Text;

namespace Remediator.Core.Tests.Events;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuringCollection
{
    // Heap measurements are process-wide: run alone so other tests' allocations do not count.
    public const string Name = "memory-measuring";
}

/// <summary>
/// Reading a large input keeps the managed heap bounded: asserts a bound on the peak (sampled after forced
/// collections while enumerating), not a time. A reader that loaded the file whole would exceed it several times over.
/// </summary>
[Collection(MemoryMeasuringCollection.Name)]
public sealed class EventReaderMemoryTests
{
    private const long InputBytes = 200L * 1024 * 1024;
    private const long AllowedGrowthBytes = 32L * 1024 * 1024;

    [Fact]
    public void A_200_MB_records_file_is_read_with_bounded_memory()
    {
        using var temp = new Fixtures.TempDirectory();
        var path = temp.File("big.json");
        var records = WriteLargeFile(path, prefix: "{\"Records\":[", separator: ",", suffix: "]}");

        var (count, growth) = ReadMeasuringPeak(path);

        Assert.Equal(records, count);
        Assert.True(growth < AllowedGrowthBytes, $"managed heap grew by {growth / (1024 * 1024)} MiB while reading {InputBytes / (1024 * 1024)} MiB");
    }

    [Fact]
    public void A_100_MB_json_lines_file_is_read_with_bounded_memory()
    {
        using var temp = new Fixtures.TempDirectory();
        var path = temp.File("big.jsonl");
        var records = WriteLargeFile(path, prefix: string.Empty, separator: "\n", suffix: "\n", InputBytes / 2);

        var (count, growth) = ReadMeasuringPeak(path);

        Assert.Equal(records, count);
        Assert.True(growth < AllowedGrowthBytes, $"managed heap grew by {growth / (1024 * 1024)} MiB while reading {InputBytes / 2 / (1024 * 1024)} MiB");
    }

    private static (int Count, long PeakGrowth) ReadMeasuringPeak(string path)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        var count = 0;
        foreach (var result in new EventReader(EventReaderOptions.Default).Read([path]))
        {
            Assert.IsType<EventRead>(result);
            count++;
            if (count % 5000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        return (count, peak);
    }

    /// <summary>Writes real records (with distinct event ids) until the file reaches the size; returns how many.</summary>
    private static int WriteLargeFile(string path, string prefix, string separator, string suffix, long size = InputBytes)
    {
        var template = File.ReadAllText(Fixtures.Real("iam/CreateRole__1.json")).ReplaceLineEndings(" ");
        const string eventId = "d2905ac3-9898-433f-b10d-9302abe4e208";
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        writer.Write(prefix);
        var written = 0L;
        var records = 0;
        while (written < size)
        {
            var record = template.Replace(eventId, $"00000000-0000-4000-8000-{records:D12}", StringComparison.Ordinal);
            if (records > 0)
            {
                writer.Write(separator);
            }

            writer.Write(record);
            written += record.Length + separator.Length;
            records++;
        }

        writer.Write(suffix);
        return records;
    }
}
