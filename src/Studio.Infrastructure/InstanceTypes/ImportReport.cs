namespace Studio.Infrastructure.InstanceTypes;

/// <summary>The outcome of importing a YAML file: per item; nothing is written unless every item is valid (and not a dry run).</summary>
public sealed record ImportReport(bool DryRun, bool Applied, IReadOnlyList<ImportItemResult> Items)
{
    public int Failed => Items.Count(i => i.Outcome == ImportOutcome.Failed);
}
