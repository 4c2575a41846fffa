using System.IO.Compression;

namespace Remediator.Core.Events.Reading;

/// <summary>Recognises a .zip archive by its content and lists its files in name order.</summary>
internal static class ZipArchives
{
    /// <summary>True when a seekable stream starts with a zip local-file header (PK\x03\x04); the position is kept.</summary>
    public static bool IsZip(Stream stream)
    {
        if (!stream.CanSeek || stream.Length < 4)
        {
            return false;
        }

        var here = stream.Position;
        Span<byte> magic = stackalloc byte[4];
        var read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = here;
        return read == 4 && magic.SequenceEqual("PK\x03\x04"u8);
    }

    /// <summary>The archive's file entries (directories left out) sorted by name, or an error naming the file.</summary>
    public static IReadOnlyList<ZipArchiveEntry> Open(Stream stream, string file, out ZipArchive? archive, out EventReadError? error)
    {
        archive = null;
        error = null;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return [.. archive.Entries.Where(e => !e.FullName.EndsWith('/')).OrderBy(e => e.FullName, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            archive?.Dispose();
            archive = null;
            error = new EventReadError(file, "file", "cannot read the zip archive: " + e.Message);
            return [];
        }
    }
}
