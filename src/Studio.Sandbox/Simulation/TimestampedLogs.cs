namespace Studio.Sandbox.Simulation;

/// <summary>
/// Log lines with their times, per container, plus the previous attempt's lines (for <c>previous=true</c>). Every line also goes
/// to the cluster's plain <see cref="Api.PodLogs"/>, which serves the log requests without time-based options.
/// </summary>
internal sealed class TimestampedLogs
{
    private readonly Api.PodLogs _plain;
    private readonly Dictionary<string, (List<(DateTime, string)> Current, List<(DateTime, string)>? Previous)> _logs = new(StringComparer.Ordinal);

    public TimestampedLogs(Api.PodLogs plain) => _plain = plain;

    private static string Key(string ns, string pod, string container) => ns + "/" + pod + "/" + container;

    public void Append(string ns, string pod, string container, string line)
    {
        _plain.Append(ns, pod, container, line);
        lock (_logs)
        {
            var key = Key(ns, pod, container);
            if (!_logs.TryGetValue(key, out var entry))
            {
                entry = ([], null);
                _logs[key] = entry;
            }

            entry.Current.Add((DateTime.UtcNow, line));
        }
    }

    /// <summary>A container restarts: its current lines become the previous attempt's.</summary>
    public void Restarted(string ns, string pod, string container)
    {
        lock (_logs)
        {
            var key = Key(ns, pod, container);
            if (_logs.TryGetValue(key, out var entry))
            {
                _logs[key] = ([], entry.Current);
            }
        }
    }

    public IReadOnlyList<(DateTime At, string Text)>? Lines(string ns, string pod, string container, bool previous)
    {
        lock (_logs)
        {
            if (!_logs.TryGetValue(Key(ns, pod, container), out var entry))
            {
                return previous ? null : [];
            }

            return previous ? entry.Previous?.ToList() : entry.Current.ToList();
        }
    }

    public void Forget(string ns, string pod)
    {
        _plain.Forget(ns, pod);
        var prefix = ns + "/" + pod + "/";
        lock (_logs)
        {
            foreach (var k in _logs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _logs.Remove(k);
            }
        }
    }
}
