namespace Remediator.Core.Events.Reading;

/// <summary>One input to read, or a note/error about one that will not be read.</summary>
internal sealed record InputFile(string Path, long Length, bool IsStandardInput, EventReadResult? Skip);

/// <summary>Expands the paths given on a command line into files, in a deterministic order.</summary>
internal static class InputFiles
{
    public static List<InputFile> Expand(IEnumerable<string> paths, IReadOnlyList<string> readableSuffixes)
    {
        var inputs = new List<InputFile>();
        foreach (var path in paths)
        {
            if (path == EventReader.StandardInputPath)
            {
                inputs.Add(new InputFile(path, 0, IsStandardInput: true, Skip: null));
            }
            else if (Directory.Exists(path))
            {
                AddDirectory(path, readableSuffixes, inputs);
            }
            else if (File.Exists(path))
            {
                // Named explicitly: read whatever it is called; the content decides the shape.
                inputs.Add(new InputFile(path, LengthOf(path), IsStandardInput: false, Skip: null));
            }
            else
            {
                inputs.Add(new InputFile(path, 0, false, new EventReadError(path, "file", "no such file or directory")));
            }
        }

        return inputs;
    }

    private static void AddDirectory(string root, IReadOnlyList<string> readableSuffixes, List<InputFile> inputs)
    {
        var found = new List<InputFile>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            string[] entries;
            try
            {
                entries = Directory.GetFileSystemEntries(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                found.Add(new InputFile(directory, 0, false, new EventReadError(directory, "file", "cannot list directory: " + e.Message)));
                continue;
            }

            foreach (var entry in entries)
            {
                var info = new FileInfo(entry);
                if (info.Attributes.HasFlag(FileAttributes.Directory))
                {
                    // Symbolic links to directories are not followed: they can loop.
                    if (info.LinkTarget is null)
                    {
                        pending.Push(entry);
                    }

                    continue;
                }

                var readable = readableSuffixes.Any(s => entry.EndsWith(s, StringComparison.OrdinalIgnoreCase));
                found.Add(readable
                    ? new InputFile(entry, LengthOf(entry), false, null)
                    : new InputFile(entry, 0, false, new EventReadNote(entry, "file", "skipped: not a .json, .jsonl or .json.gz file")));
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        inputs.AddRange(found);
    }

    private static long LengthOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
