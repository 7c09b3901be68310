namespace Studio.Web.Model;

/// <summary>A pod of a job as the detail page shows it (live from the informer, or as recorded once it is gone).</summary>
public sealed record JobPodView(string Name, int? Rank, string? Role, string Phase, string? Node, int Restarts, string? Reason, bool Gone = false)
{
    public string Label => Rank is null ? Name : $"{Role ?? "rank"} {Rank}";
}
