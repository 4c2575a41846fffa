namespace Remediator.Core.Engine;

/// <summary>
/// A set that remembers at least the last <c>capacity</c> keys and at most twice that: two generations, the older
/// dropped when the newer fills. A warm Lambda process or a replay of a huge log keeps flat memory, and repeats
/// within the window are still recognised (the audit store's conditional write covers the rest).
/// </summary>
/// <typeparam name="TKey">A value with equality (the engine's is a delivery identity and a rule id: no string built per key).</typeparam>
public sealed class RecentKeys<TKey>(int capacity)
    where TKey : notnull
{
    private HashSet<TKey> _current = [];
    private HashSet<TKey> _previous = [];

    /// <summary>False when the key was seen within the window; otherwise remembers it.</summary>
    public bool Add(TKey key)
    {
        if (_current.Contains(key) || _previous.Contains(key))
        {
            return false;
        }

        if (_current.Count >= capacity)
        {
            (_previous, _current) = (_current, _previous);
            _current.Clear();
        }

        _current.Add(key);
        return true;
    }
}
