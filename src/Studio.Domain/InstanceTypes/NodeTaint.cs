namespace Studio.Domain.InstanceTypes;

/// <summary>A node taint: <c>key[=value]:Effect</c>.</summary>
public sealed record NodeTaint(string Key, string? Value, TaintEffect Effect)
{
    /// <summary>Parses kubectl's form <c>key=value:Effect</c> or <c>key:Effect</c>; null when it is not one.</summary>
    public static NodeTaint? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !Enum.TryParse<TaintEffect>(text[(colon + 1)..], ignoreCase: false, out var effect))
        {
            return null;
        }

        var pair = text[..colon];
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? new NodeTaint(pair, null, effect) : new NodeTaint(pair[..eq], pair[(eq + 1)..], effect);
    }

    /// <summary>Whether the taint keeps pods that do not tolerate it off the node.</summary>
    public bool Blocks => Effect is TaintEffect.NoSchedule or TaintEffect.NoExecute;

    public override string ToString() => $"{Key}{(string.IsNullOrEmpty(Value) ? string.Empty : "=" + Value)}:{Effect}";
}
