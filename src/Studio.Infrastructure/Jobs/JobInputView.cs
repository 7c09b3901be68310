namespace Studio.Infrastructure.Jobs;

/// <summary>
/// One input of a job as the Inputs tab and <c>GET .../jobs/{name}/inputs</c> show it. A data input has its
/// <see cref="Source"/> (<see cref="SourceKind"/>: <c>datastore</c>, <c>https</c>, <c>asset</c> — with
/// <see cref="AssetName"/> and <see cref="AssetVersion"/>, null for <c>@latest</c> — or <c>upload</c>: files sent with the
/// job, stored as <see cref="Snapshot"/>), the mode asked and the mode used (<see cref="ModeReason"/> says why when they
/// differ), where it is in the pod (<see cref="PodPath"/>), its size and file count when the studio can tell, and
/// <see cref="Fetch"/>: <c>fetched</c>, <c>not_yet</c>, <c>failed</c> (with <see cref="FetchNote"/>) or <c>direct</c> (the
/// command reads a URL itself). A literal input (<c>inputs.lr: 0.01</c>) has <see cref="SourceKind"/> <c>value</c> and
/// its value as <see cref="Source"/>.
/// </summary>
public sealed record JobInputView(
    string Name,
    string Type,
    string SourceKind,
    string Source,
    string? AssetName,
    string? AssetVersion,
    string? Snapshot,
    string? ModeAsked,
    string? ModeUsed,
    string? ModeReason,
    string? PodPath,
    long? SizeBytes,
    int? Files,
    string Fetch,
    string? FetchNote)
{
    public const string Literal = "literal";
    public const string Fetched = "fetched";
    public const string NotYet = "not_yet";
    public const string Failed = "failed";
    public const string Direct = "direct";
    public const string Value = "value";
}
