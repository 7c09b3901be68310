namespace Studio.Web.Model;

/// <summary>A GPU node in the allocation heat map: its slots, in order, used ones first.</summary>
public sealed record GpuNodeRow(string Node, string Pool, string? GpuProduct, bool Ready, IReadOnlyList<GpuSlot> Slots)
{
    public int Used => Slots.Count(s => !s.Free);
}
