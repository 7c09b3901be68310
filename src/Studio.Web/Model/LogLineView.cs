namespace Studio.Web.Model;

/// <summary>One log line as the log view shows it: which pod (and rank/role) wrote it, and the text.</summary>
public sealed record LogLineView(string Pod, int? Rank, string? Role, string Text, DateTimeOffset? At = null)
{
    /// <summary>The prefix of the merged view: <c>[rank 0]</c>, <c>[ps 1]</c>, or the pod name when it has no rank.</summary>
    public string Prefix => Rank is null ? $"[{Pod}]" : $"[{Role ?? "rank"} {Rank}]";
}
