using System.Runtime.InteropServices;
using System.Text;

namespace Remediator.Core.Patterns;

/// <summary>
/// The field paths the patterns use, as a tree of dot-separated segments looked up by (parent node, UTF-8 segment)
/// in one open-addressing table. Event keys are split on '.' too, so <c>{"a.b": 1}</c> and <c>{"a": {"b": 1}}</c>
/// reach the same field, as in event-ruler. Subtrees whose keys lead nowhere are skipped by the scanner.
/// </summary>
internal sealed class PathTable
{
    private readonly List<int> fieldOfNode = [-1];
    private readonly List<bool> hasChildren = [false];
    private Entry[] entries = new Entry[64];
    private int count;

    private struct Entry
    {
        public int Parent;
        public int Child; // 0 = empty slot (node 0 is the root and never a child)
        public ulong Hash;
        public byte[] Segment;
    }

    public int NodeCount => fieldOfNode.Count;

    public int FieldOf(int node) => fieldOfNode[node];

    public bool HasChildren(int node) => hasChildren[node];

    /// <summary>Adds a dotted path; returns its node.</summary>
    public int Add(string path, int fieldId)
    {
        var node = 0;
        foreach (var segment in path.Split('.'))
        {
            var bytes = Encoding.UTF8.GetBytes(segment);
            var child = Find(node, bytes);
            if (child < 0)
            {
                child = fieldOfNode.Count;
                fieldOfNode.Add(-1);
                hasChildren.Add(false);
                hasChildren[node] = true;
                Insert(node, bytes, child);
            }

            node = child;
        }

        fieldOfNode[node] = fieldId;
        return node;
    }

    /// <summary>Walks an event key (which may itself contain dots) from <paramref name="node"/>; -1 when no pattern goes there.</summary>
    public int Walk(int node, ReadOnlySpan<byte> key)
    {
        while (true)
        {
            var dot = key.IndexOf((byte)'.');
            var segment = dot < 0 ? key : key[..dot];
            node = Find(node, segment);
            if (node < 0 || dot < 0)
            {
                return node;
            }

            key = key[(dot + 1)..];
        }
    }

    private int Find(int parent, ReadOnlySpan<byte> segment)
    {
        var hash = Hash(parent, segment);
        var mask = entries.Length - 1;
        for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
        {
            ref var e = ref entries[slot];
            if (e.Child == 0)
            {
                return -1;
            }

            if (e.Hash == hash && e.Parent == parent && segment.SequenceEqual(e.Segment))
            {
                return e.Child;
            }
        }
    }

    private void Insert(int parent, byte[] segment, int child)
    {
        if ((count + 1) * 2 > entries.Length)
        {
            var old = entries;
            entries = new Entry[old.Length * 2];
            count = 0;
            foreach (var e in old)
            {
                if (e.Child != 0)
                {
                    Insert(e.Parent, e.Segment, e.Child);
                }
            }
        }

        var hash = Hash(parent, segment);
        var mask = entries.Length - 1;
        var slot = (int)hash & mask;
        while (entries[slot].Child != 0)
        {
            slot = (slot + 1) & mask;
        }

        entries[slot] = new Entry { Parent = parent, Child = child, Hash = hash, Segment = segment };
        count++;
    }

    internal static ulong Hash(int seed, ReadOnlySpan<byte> bytes)
    {
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed ^ ((ulong)bytes.Length << 32);
        while (bytes.Length >= 8)
        {
            h = (h ^ MemoryMarshal.Read<ulong>(bytes)) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 29;
            bytes = bytes[8..];
        }

        ulong tail = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            tail |= (ulong)bytes[i] << (i * 8);
        }

        h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 32;
        return h;
    }
}
