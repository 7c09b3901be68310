using System.Collections.Concurrent;
using System.Text;

namespace Studio.Sandbox.Api;

/// <summary>Container logs of simulated pods; the simulated kubelet (part 2) appends, <c>pods/{name}/log</c> reads.</summary>
internal sealed class PodLogs
{
    private readonly ConcurrentDictionary<string, StringBuilder> _logs = new(StringComparer.Ordinal);

    private static string Key(string ns, string pod, string container) => ns + "/" + pod + "/" + container;

    public void Append(string ns, string pod, string container, string line)
    {
        var sb = _logs.GetOrAdd(Key(ns, pod, container), _ => new StringBuilder());
        lock (sb)
        {
            sb.Append(line);
            if (!line.EndsWith('\n'))
            {
                sb.Append('\n');
            }
        }
    }

    public string Read(string ns, string pod, string container)
    {
        if (!_logs.TryGetValue(Key(ns, pod, container), out var sb))
        {
            return "";
        }

        lock (sb)
        {
            return sb.ToString();
        }
    }

    public void Forget(string ns, string pod)
    {
        var prefix = ns + "/" + pod + "/";
        foreach (var k in _logs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _logs.TryRemove(k, out _);
        }
    }
}
