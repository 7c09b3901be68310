using System.Globalization;
using System.Text;

namespace Studio.Infrastructure.Jobs;

/// <summary>Log lines as Kubernetes writes them with <c>timestamps=true</c>, and the tail of a log that fits a byte budget.</summary>
internal static class JobLogText
{
    /// <summary>Lines of a log read with <c>timestamps=true</c> ("2026-11-28T23:40:00.123456789Z text").</summary>
    internal static IReadOnlyList<JobLogLine> Parse(string pod, int rank, string text) =>
        [.. text.Split('\n').Where(l => l.Length > 0).Select(l => ParseLine(pod, rank, l.TrimEnd('\r')))];

    internal static JobLogLine ParseLine(string pod, int rank, string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space is > 18 and < 40 && line[4] == '-' && line[10] == 'T')
        {
            var stamp = line[..space];
            var dot = stamp.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                // .NET parses at most 7 fractional digits; Kubernetes writes 9.
                var end = stamp.IndexOfAny(['Z', '+', '-'], dot);
                var fraction = end < 0 ? stamp[(dot + 1)..] : stamp[(dot + 1)..end];
                stamp = stamp[..(dot + 1)] + (fraction.Length > 7 ? fraction[..7] : fraction) + (end < 0 ? string.Empty : stamp[end..]);
            }

            if (DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return new JobLogLine(pod, rank, at, line[(space + 1)..]);
            }
        }

        return new JobLogLine(pod, rank, null, line);
    }

    /// <summary>The log lines (with timestamps) that fit in <paramref name="maxBytes"/> UTF-8 bytes, keeping the end.</summary>
    internal static string Tail(IReadOnlyList<JobLogLine> lines, int maxBytes)
    {
        var kept = new List<string>();
        var bytes = 0;
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var l = lines[i];
            var text = l.Timestamp is { } at ? $"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)} {l.Text}" : l.Text;
            var size = Encoding.UTF8.GetByteCount(text) + 1;
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            kept.Add(text);
        }

        kept.Reverse();
        return string.Join('\n', kept) + (kept.Count > 0 ? "\n" : string.Empty);
    }
}
