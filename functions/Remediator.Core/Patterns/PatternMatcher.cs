using System.Text.Json;

namespace Remediator.Core.Patterns;

/// <summary>
/// Many named event patterns compiled together. One pass over the event's UTF-8 bytes collects only the values at
/// paths some pattern uses (other subtrees are skipped unread); a hash index on exact string values (e.g.
/// <c>eventName</c>) picks the few candidate patterns to evaluate; the rest is compared as UTF-8 without allocating.
/// Instances are immutable and thread-safe; scratch buffers are kept per thread.
/// </summary>
public sealed class PatternMatcher
{
    /// <summary>
    /// The deepest nesting an event may have; deeper events are malformed. The event reader uses the same limit, so a
    /// record is either read by both or refused by both.
    /// </summary>
    public const int MaxEventDepth = 512;

    // Two slots: replay alternates between the reader's interest matcher and the engine's rule matcher on one thread.
    [ThreadStatic]
    private static MatchScratch? cachedScratch;

    [ThreadStatic]
    private static MatchScratch? otherScratch;

    private readonly string[] names;
    private readonly CompiledSub[] subs;
    private readonly PathTable paths;
    private readonly int fieldCount;
    private readonly ExactValueIndex index;
    private readonly int[] indexFieldsToProbe;
    private readonly int[] unindexedSubs;

    private PatternMatcher(string[] names, CompiledSub[] subs, PathTable paths, int fieldCount, ExactValueIndex index, int[] indexFields, int[] unindexedSubs)
    {
        this.names = names;
        this.subs = subs;
        this.paths = paths;
        this.fieldCount = fieldCount;
        this.index = index;
        indexFieldsToProbe = indexFields;
        this.unindexedSubs = unindexedSubs;
    }

    /// <summary>The pattern names, in the order given to <see cref="Build"/>.</summary>
    public IReadOnlyList<string> Names => names;

    public static PatternMatcher Build(IEnumerable<(string Name, EventPattern Pattern)> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var names = new List<string>();
        var fieldIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var pathTable = new PathTable();
        var compiled = new List<CompiledSub>();
        foreach (var (name, pattern) in patterns)
        {
            var rule = names.Count;
            names.Add(name);
            foreach (var sub in pattern.SubPatterns)
            {
                var conditions = sub.Conditions.Select(c =>
                {
                    if (!fieldIds.TryGetValue(c.Path, out var id))
                    {
                        id = fieldIds.Count;
                        fieldIds.Add(c.Path, id);
                        pathTable.Add(c.Path, id);
                    }

                    return new CompiledCondition(id, c.Tests, c.AllowsAbsence);
                }).ToArray();
                compiled.Add(new CompiledSub(rule, conditions));
            }
        }

        // Index each sub-pattern under the exact string values of its most selective field (the field with the most
        // distinct exact values overall); a sub-pattern with no all-exact-strings field is evaluated for every event.
        var distinct = new Dictionary<int, HashSet<string>>();
        foreach (var sub in compiled)
        {
            foreach (var c in sub.Conditions.Where(IsIndexable))
            {
                if (!distinct.TryGetValue(c.Field, out var set))
                {
                    distinct[c.Field] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                foreach (var t in c.Tests)
                {
                    set.Add(Convert.ToBase64String(t.Bytes));
                }
            }
        }

        var index = new ExactValueIndex();
        var unindexed = new List<int>();
        var probeFields = new HashSet<int>();
        for (var s = 0; s < compiled.Count; s++)
        {
            var best = compiled[s].Conditions.Where(IsIndexable).OrderByDescending(c => distinct[c.Field].Count).FirstOrDefault();
            if (best is null)
            {
                unindexed.Add(s);
                continue;
            }

            probeFields.Add(best.Field);
            foreach (var bytes in best.Tests.Select(t => t.Bytes).Distinct(ByteArrayComparer.Instance))
            {
                index.Add(best.Field, bytes, s);
            }
        }

        return new PatternMatcher([.. names], [.. compiled], pathTable, fieldIds.Count, index, [.. probeFields.Order()], [.. unindexed]);
    }

    private static bool IsIndexable(CompiledCondition c) =>
        !c.AllowsAbsence && c.Tests.Length > 0 && c.Tests.All(t => t.Kind == TestKind.ExactString);

    /// <summary>Names of the patterns that match, in the order the patterns were given.</summary>
    /// <exception cref="MalformedEventException">The event is not a well-formed JSON object.</exception>
    public IReadOnlyList<string> Match(ReadOnlySpan<byte> utf8EventJson)
    {
        var scratch = Scratch();
        MatchRules(utf8EventJson, scratch.RuleResults);
        if (scratch.RuleResults.Count == 0)
        {
            return [];
        }

        var result = new string[scratch.RuleResults.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = names[scratch.RuleResults[i]];
        }

        return result;
    }

    /// <summary>
    /// Allocation-free form: clears <paramref name="ruleIndexes"/> and fills it with the indexes (into
    /// <see cref="Names"/>) of the matching patterns, ascending. Returns their count.
    /// </summary>
    public int MatchRules(ReadOnlySpan<byte> utf8EventJson, List<int> ruleIndexes)
    {
        ArgumentNullException.ThrowIfNull(ruleIndexes);
        ruleIndexes.Clear();
        var s = Scratch();
        s.Reset();
        Scan(utf8EventJson, s);

        var stamp = ++s.Stamp;
        foreach (var field in indexFieldsToProbe)
        {
            for (var v = s.FieldFirst[field]; v >= 0; v = s.Values[v].Next)
            {
                ref var value = ref s.Values[v];
                if (value.Kind != EventValueKind.String)
                {
                    continue;
                }

                var candidates = index.Find(field, s.TextOf(ref value, utf8EventJson));
                if (candidates is null)
                {
                    continue;
                }

                foreach (var sub in candidates)
                {
                    TryCandidate(sub, stamp, utf8EventJson, s, ruleIndexes);
                }
            }
        }

        foreach (var sub in unindexedSubs)
        {
            TryCandidate(sub, stamp, utf8EventJson, s, ruleIndexes);
        }

        if (ruleIndexes.Count > 1)
        {
            ruleIndexes.Sort();
        }

        return ruleIndexes.Count;
    }

    private void TryCandidate(int subIndex, int stamp, ReadOnlySpan<byte> evt, MatchScratch s, List<int> ruleIndexes)
    {
        if (s.SubStamp[subIndex] == stamp)
        {
            return;
        }

        s.SubStamp[subIndex] = stamp;
        var sub = subs[subIndex];
        if (s.RuleStamp[sub.Rule] == stamp)
        {
            return;
        }

        var matched = s.MemberLength == 0 ? EvaluateFlat(sub, evt, s) : EvaluateWithArrays(sub, 0, 0, evt, s);
        if (matched)
        {
            s.RuleStamp[sub.Rule] = stamp;
            ruleIndexes.Add(sub.Rule);
        }
    }

    private static bool EvaluateFlat(CompiledSub sub, ReadOnlySpan<byte> evt, MatchScratch s)
    {
        foreach (var c in sub.Conditions)
        {
            var first = s.FieldFirst[c.Field];
            if (first < 0)
            {
                if (!c.AllowsAbsence)
                {
                    return false;
                }

                continue;
            }

            if (!AnyValueMatches(c, first, evt, s))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyValueMatches(CompiledCondition c, int first, ReadOnlySpan<byte> evt, MatchScratch s)
    {
        for (var v = first; v >= 0; v = s.Values[v].Next)
        {
            ref var value = ref s.Values[v];
            var text = s.TextOf(ref value, evt);
            foreach (var test in c.Tests)
            {
                if (test.Matches(ref value, text))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Values inside arrays of objects carry (array, index) memberships; the fields a sub-pattern matches must agree on
    // the element of every array they share, and exists:false only looks at fields that agree with the ones matched
    // before it (in path order) — event-ruler's array-consistency rule.
    private static bool EvaluateWithArrays(CompiledSub sub, int conditionIndex, int stackLength, ReadOnlySpan<byte> evt, MatchScratch s)
    {
        if (conditionIndex == sub.Conditions.Length)
        {
            return true;
        }

        var c = sub.Conditions[conditionIndex];
        var first = s.FieldFirst[c.Field];
        if (c.AllowsAbsence)
        {
            var present = false;
            for (var v = first; v >= 0 && !present; v = s.Values[v].Next)
            {
                present = Consistent(ref s.Values[v], stackLength, s);
            }

            if (!present && EvaluateWithArrays(sub, conditionIndex + 1, stackLength, evt, s))
            {
                return true;
            }
        }

        for (var v = first; v >= 0; v = s.Values[v].Next)
        {
            ref var value = ref s.Values[v];
            if (!Consistent(ref value, stackLength, s))
            {
                continue;
            }

            var text = s.TextOf(ref value, evt);
            var any = false;
            foreach (var test in c.Tests)
            {
                if (test.Matches(ref value, text))
                {
                    any = true;
                    break;
                }
            }

            if (any && EvaluateWithArrays(sub, conditionIndex + 1, Merge(ref value, stackLength, s), evt, s))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Consistent(ref EventValue value, int stackLength, MatchScratch s)
    {
        for (var m = 0; m < value.MemberCount; m++)
        {
            var array = s.Members[(value.MemberStart + m) * 2];
            var element = s.Members[((value.MemberStart + m) * 2) + 1];
            for (var k = 0; k < stackLength; k++)
            {
                if (s.EvalStack[k * 2] == array && s.EvalStack[(k * 2) + 1] != element)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int Merge(ref EventValue value, int stackLength, MatchScratch s)
    {
        var length = stackLength;
        for (var m = 0; m < value.MemberCount; m++)
        {
            var array = s.Members[(value.MemberStart + m) * 2];
            var known = false;
            for (var k = 0; k < length && !known; k++)
            {
                known = s.EvalStack[k * 2] == array;
            }

            if (!known)
            {
                s.EnsureEvalStack(length + 1);
                s.EvalStack[length * 2] = array;
                s.EvalStack[(length * 2) + 1] = s.Members[((value.MemberStart + m) * 2) + 1];
                length++;
            }
        }

        return length;
    }

    private MatchScratch Scratch()
    {
        var s = cachedScratch;
        if (s is not null && ReferenceEquals(s.Owner, this))
        {
            return s;
        }

        var other = otherScratch;
        if (other is null || !ReferenceEquals(other.Owner, this))
        {
            other = new MatchScratch(this, fieldCount, subs.Length, names.Length);
        }

        otherScratch = s;
        cachedScratch = other;
        return other;
    }

    private void Scan(ReadOnlySpan<byte> evt, MatchScratch s)
    {
        var reader = new Utf8JsonReader(evt, new JsonReaderOptions { MaxDepth = MaxEventDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new MalformedEventException("event must be a JSON object", reader.TokenStartIndex);
            }

            ScanObject(ref reader, 0, s);
            if (reader.Read())
            {
                throw new MalformedEventException("unexpected data after the event object", reader.TokenStartIndex);
            }
        }
        catch (JsonException e)
        {
            throw new MalformedEventException($"malformed JSON: {e.Message}", reader.BytesConsumed, e);
        }
        catch (InvalidOperationException e)
        {
            // CopyString refuses an escaped lone surrogate ("\ud800"): valid JSON syntax, but no text to compare.
            throw new MalformedEventException("a string holds an invalid escape (a lone UTF-16 surrogate)", reader.BytesConsumed, e);
        }
    }

    private void ScanObject(ref Utf8JsonReader reader, int node, MatchScratch s)
    {
        var keyBuffer = s.KeyBuffer;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int child;
            if (!reader.ValueIsEscaped)
            {
                child = paths.Walk(node, reader.ValueSpan);
            }
            else if (reader.ValueSpan.Length <= keyBuffer.Length)
            {
                var written = reader.CopyString(keyBuffer);
                child = paths.Walk(node, keyBuffer.AsSpan(0, written));
            }
            else
            {
                child = paths.Walk(node, System.Text.Encoding.UTF8.GetBytes(reader.GetString()!));
            }

            reader.Read();
            if (child < 0)
            {
                reader.Skip();
                continue;
            }

            ScanValue(ref reader, child, s);
        }
    }

    private void ScanValue(ref Utf8JsonReader reader, int node, MatchScratch s)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                if (paths.HasChildren(node))
                {
                    ScanObject(ref reader, node, s);
                }
                else
                {
                    reader.Skip();
                }

                break;
            case JsonTokenType.StartArray:
                ScanArray(ref reader, node, s);
                break;
            default:
                var field = paths.FieldOf(node);
                if (field >= 0)
                {
                    s.Record(field, ref reader);
                }

                break;
        }
    }

    private void ScanArray(ref Utf8JsonReader reader, int node, MatchScratch s)
    {
        var arrayId = s.ArrayCounter++;
        var element = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject && !paths.HasChildren(node))
                {
                    reader.Skip();
                }
                else
                {
                    s.PushMembership(arrayId, element);
                    ScanValue(ref reader, node, s);
                    s.PopMembership();
                }
            }
            else
            {
                ScanValue(ref reader, node, s);
            }

            element++;
        }
    }

    private sealed record CompiledCondition(int Field, ValueTest[] Tests, bool AllowsAbsence);

    private sealed record CompiledSub(int Rule, CompiledCondition[] Conditions);

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => (int)PathTable.Hash(0, obj);
    }

    /// <summary>(field, exact UTF-8 value) → sub-pattern indexes.</summary>
    private sealed class ExactValueIndex
    {
        private Slot[] slots = new Slot[64];
        private int count;

        private struct Slot
        {
            public bool Used;
            public int Field;
            public ulong Hash;
            public byte[] Value;
            public int[] Subs;
        }

        public void Add(int field, byte[] value, int sub)
        {
            var hash = PathTable.Hash(field, value);
            var at = Locate(field, value, hash);
            if (slots[at].Used)
            {
                slots[at].Subs = [.. slots[at].Subs, sub];
                return;
            }

            if ((count + 1) * 2 > slots.Length)
            {
                var old = slots;
                slots = new Slot[old.Length * 2];
                foreach (var o in old.Where(o => o.Used))
                {
                    slots[Locate(o.Field, o.Value, o.Hash)] = o;
                }

                at = Locate(field, value, hash);
            }

            slots[at] = new Slot { Used = true, Field = field, Hash = hash, Value = value, Subs = [sub] };
            count++;
        }

        public int[]? Find(int field, ReadOnlySpan<byte> value)
        {
            var hash = PathTable.Hash(field, value);
            var mask = slots.Length - 1;
            for (var i = (int)hash & mask; ; i = (i + 1) & mask)
            {
                ref var slot = ref slots[i];
                if (!slot.Used)
                {
                    return null;
                }

                if (slot.Hash == hash && slot.Field == field && value.SequenceEqual(slot.Value))
                {
                    return slot.Subs;
                }
            }
        }

        private int Locate(int field, byte[] value, ulong hash)
        {
            var mask = slots.Length - 1;
            var i = (int)hash & mask;
            while (slots[i].Used && !(slots[i].Hash == hash && slots[i].Field == field && value.AsSpan().SequenceEqual(slots[i].Value)))
            {
                i = (i + 1) & mask;
            }

            return i;
        }
    }

    /// <summary>Per-thread buffers for one event at a time.</summary>
    private sealed class MatchScratch
    {
        public MatchScratch(PatternMatcher owner, int fields, int subCount, int ruleCount)
        {
            Owner = owner;
            FieldFirst = new int[fields];
            FieldLast = new int[fields];
            Array.Fill(FieldFirst, -1);
            Touched = new int[Math.Max(fields, 1)];
            SubStamp = new int[subCount];
            RuleStamp = new int[ruleCount];
        }

        public PatternMatcher Owner { get; }

        public EventValue[] Values = new EventValue[64];
        public int ValueCount;
        public readonly int[] FieldFirst;
        public readonly int[] FieldLast;
        public readonly int[] Touched;
        public int TouchedCount;
        public byte[] Arena = new byte[1024];
        public readonly byte[] KeyBuffer = new byte[256];
        public int ArenaLength;
        public int[] Members = new int[64];
        public int MemberLength; // in pairs
        public int[] ScanStack = new int[32];
        public int ScanStackLength; // in pairs
        public int[] EvalStack = new int[32];
        public int ArrayCounter;
        public readonly int[] SubStamp;
        public readonly int[] RuleStamp;
        public int Stamp;
        public readonly List<int> RuleResults = [];

        public void Reset()
        {
            for (var i = 0; i < TouchedCount; i++)
            {
                FieldFirst[Touched[i]] = -1;
            }

            TouchedCount = 0;
            ValueCount = 0;
            ArenaLength = 0;
            MemberLength = 0;
            ScanStackLength = 0;
            ArrayCounter = 0;
        }

        public ReadOnlySpan<byte> TextOf(ref EventValue value, ReadOnlySpan<byte> evt) =>
            value.InArena ? Arena.AsSpan(value.Start, value.Length) : evt.Slice(value.Start, value.Length);

        public void PushMembership(int array, int element)
        {
            if ((ScanStackLength + 1) * 2 > ScanStack.Length)
            {
                Array.Resize(ref ScanStack, ScanStack.Length * 2);
            }

            ScanStack[ScanStackLength * 2] = array;
            ScanStack[(ScanStackLength * 2) + 1] = element;
            ScanStackLength++;
        }

        public void PopMembership() => ScanStackLength--;

        public void EnsureEvalStack(int pairs)
        {
            if (pairs * 2 > EvalStack.Length)
            {
                Array.Resize(ref EvalStack, Math.Max(EvalStack.Length * 2, pairs * 2));
            }
        }

        public void Record(int field, ref Utf8JsonReader reader)
        {
            if (ValueCount == Values.Length)
            {
                Array.Resize(ref Values, Values.Length * 2);
            }

            ref var value = ref Values[ValueCount];
            value = default;
            value.IpLength = -1;
            value.Next = -1;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    value.Kind = EventValueKind.String;
                    if (reader.ValueIsEscaped)
                    {
                        var needed = reader.ValueSpan.Length;
                        if (ArenaLength + needed > Arena.Length)
                        {
                            Array.Resize(ref Arena, Math.Max(Arena.Length * 2, ArenaLength + needed));
                        }

                        value.InArena = true;
                        value.Start = ArenaLength;
                        value.Length = reader.CopyString(Arena.AsSpan(ArenaLength));
                        ArenaLength += value.Length;
                    }
                    else
                    {
                        value.Start = (int)reader.TokenStartIndex + 1;
                        value.Length = reader.ValueSpan.Length;
                    }

                    break;
                case JsonTokenType.Number:
                    value.Kind = EventValueKind.Number;
                    value.Start = (int)reader.TokenStartIndex;
                    value.Length = reader.ValueSpan.Length;
                    break;
                default:
                    value.Kind = EventValueKind.Literal;
                    value.Start = (int)reader.TokenStartIndex;
                    value.Length = reader.ValueSpan.Length;
                    break;
            }

            if (ScanStackLength > 0)
            {
                if ((MemberLength + ScanStackLength) * 2 > Members.Length)
                {
                    Array.Resize(ref Members, Math.Max(Members.Length * 2, (MemberLength + ScanStackLength) * 2));
                }

                Array.Copy(ScanStack, 0, Members, MemberLength * 2, ScanStackLength * 2);
                value.MemberStart = MemberLength;
                value.MemberCount = ScanStackLength;
                MemberLength += ScanStackLength;
            }

            if (FieldFirst[field] < 0)
            {
                FieldFirst[field] = ValueCount;
                Touched[TouchedCount++] = field;
            }
            else
            {
                Values[FieldLast[field]].Next = ValueCount;
            }

            FieldLast[field] = ValueCount;
            ValueCount++;
        }
    }
}
