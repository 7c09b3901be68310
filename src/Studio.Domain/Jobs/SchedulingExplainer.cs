using System.Globalization;
using System.Text.RegularExpressions;

namespace Studio.Domain.Jobs;

/// <summary>
/// Turns the scheduler's <c>FailedScheduling</c> message ("0/7 nodes are available: 1 Insufficient nvidia.com/gpu, 6
/// node(s) didn't match Pod's node affinity/selector.") into plain words ("None of the 7 nodes can take a pod now: 1 has
/// too few free GPUs; 6 are not in the instance type's node pool.").
/// </summary>
public static partial class SchedulingExplainer
{
    [GeneratedRegex(@"^0/(?<total>\d+) nodes are available(?::\s*(?<rest>.*?))?\.?$", RegexOptions.Singleline)]
    private static partial Regex Header();

    [GeneratedRegex(@"^(?<n>\d+)\s+(?<what>.+)$")]
    private static partial Regex Counted();

    [GeneratedRegex(@"pod group ""(?<group>[^""]+)"" (?:has (?<have>\d+) of its (?<min>\d+) minimum members|needs (?<need>\d+) members placed together, only (?<fit>\d+) fit)")]
    private static partial Regex Gang();

    [GeneratedRegex(@"untolerated taint \{(?<key>[^:}]+):\s*(?<value>[^}]*)\}|taint \{(?<key2>[^:}]+):\s*(?<value2>[^}]*)\}")]
    private static partial Regex Taint();

    /// <summary>Plain words for a scheduler message; the message itself when it is not in a known shape.</summary>
    public static string Explain(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "Waiting for the scheduler to place the pods.";
        }

        var text = message.Trim();
        var preemption = text.IndexOf(" preemption:", StringComparison.Ordinal);
        if (preemption > 0)
        {
            text = text[..preemption].TrimEnd('.', ' ');
        }

        var gang = Gang().Match(text);
        var gangText = gang.Success
            ? gang.Groups["have"].Success
                ? string.Create(CultureInfo.InvariantCulture, $"The job's pods are placed together: {gang.Groups["have"].Value} of its {gang.Groups["min"].Value} pods are ready to be placed; it waits for the rest.")
                : string.Create(CultureInfo.InvariantCulture, $"The job's {gang.Groups["need"].Value} pods must be placed together and only {gang.Groups["fit"].Value} fit now.")
            : null;

        var header = Header().Match(text);
        if (!header.Success)
        {
            return gangText ?? message.Trim();
        }

        var total = int.Parse(header.Groups["total"].Value, CultureInfo.InvariantCulture);
        var rest = Gang().Replace(header.Groups["rest"].Value, string.Empty).Trim(' ', ';', ',', '.');
        var parts = new List<string>();
        foreach (var raw in rest.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var counted = Counted().Match(raw);
            var n = counted.Success ? int.Parse(counted.Groups["n"].Value, CultureInfo.InvariantCulture) : (int?)null;
            var what = counted.Success ? counted.Groups["what"].Value : raw;
            parts.Add(Phrase(n, what));
        }

        var summary = total == 0
            ? "The cluster has no nodes."
            : parts.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"None of the {total} nodes can take a pod now.")
                : string.Create(CultureInfo.InvariantCulture, $"None of the {total} nodes can take a pod now: {string.Join("; ", parts)}.");
        return gangText is null ? summary : gangText + " " + summary;
    }

    private static string Phrase(int? n, string what)
    {
        var count = n?.ToString(CultureInfo.InvariantCulture) ?? "some";
        var plural = n is null or not 1;
        string Are() => plural ? "are" : "is";
        string Have() => plural ? "have" : "has";
        if (what.StartsWith("Insufficient ", StringComparison.Ordinal))
        {
            var resource = what["Insufficient ".Length..].Trim();
            var noun = resource switch
            {
                "cpu" => "CPU",
                "memory" => "memory",
                "nvidia.com/gpu" => "GPUs",
                "pods" => "pod slots",
                _ => resource,
            };
            return $"{count} {Have()} too little free {noun}";
        }

        if (what.Contains("didn't match Pod's node affinity/selector", StringComparison.Ordinal) || what.Contains("didn't match node selector", StringComparison.Ordinal))
        {
            return $"{count} {Are()} not in the instance type's node pool (node selector)";
        }

        if (Taint().Match(what) is { Success: true } taint)
        {
            var key = taint.Groups["key"].Success ? taint.Groups["key"].Value : taint.Groups["key2"].Value;
            var value = (taint.Groups["value"].Success ? taint.Groups["value"].Value : taint.Groups["value2"].Value).Trim();
            return key switch
            {
                "node.kubernetes.io/not-ready" => $"{count} {Are()} not ready",
                "node.kubernetes.io/unreachable" => $"{count} {Are()} unreachable",
                "node-role.kubernetes.io/control-plane" or "node-role.kubernetes.io/master" => $"{count} {Are()} control-plane nodes",
                _ => $"{count} {Are()} reserved for other workloads (taint {key}{(value.Length == 0 ? string.Empty : "=" + value)})",
            };
        }

        if (what.Contains("were unschedulable", StringComparison.Ordinal) || what.Contains("was unschedulable", StringComparison.Ordinal))
        {
            return $"{count} {Are()} cordoned (unschedulable)";
        }

        if (what.StartsWith("Too many pods", StringComparison.Ordinal))
        {
            return $"{count} {Are()} at their pod limit";
        }

        return n is null ? what : $"{count} {what}";
    }
}
