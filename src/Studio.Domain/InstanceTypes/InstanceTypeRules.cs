using Studio.Domain.Clusters;
using Studio.Domain.Common;

namespace Studio.Domain.InstanceTypes;

/// <summary>
/// Azure ML's InstanceType rules (reference §1.2): the name is a DNS-1123 subdomain (unique in the cluster); CPU and
/// memory requests and limits are required and non-zero; a GPU count is a whole number and only in limits; requests
/// are at most the limits; nodeSelector entries are label key/value pairs. Every broken rule is one error on its field.
/// </summary>
public static class InstanceTypeRules
{
    /// <summary>At most this many nodeSelector entries (a form with more is a mistake).</summary>
    public const int MaxSelectorEntries = 32;

    /// <summary>
    /// Validates <paramref name="draft"/>. With <paramref name="studioChecks"/> (forms, API, import) memory must also be at
    /// least 1Mi and not in millibytes — Azure ML accepts those but they are always typos; resources read from the
    /// cluster are judged by Azure ML's rules alone.
    /// </summary>
    public static Result<InstanceType> Validate(InstanceTypeDraft draft, bool studioChecks = true)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new List<Error>();
        var name = draft.Name?.Trim();
        if (Dns1123.ValidateSubdomain(name) is { } nameError)
        {
            errors.Add(Error.Validation(InstanceTypeFields.Name, $"The name {nameError}."));
        }

        var selector = new Dictionary<string, string>(StringComparer.Ordinal);
        if (draft.NodeSelector is { } nodeSelector)
        {
            if (nodeSelector.Count > MaxSelectorEntries)
            {
                errors.Add(Error.Validation(InstanceTypeFields.NodeSelector, $"At most {MaxSelectorEntries} nodeSelector entries."));
            }

            foreach (var (rawKey, rawValue) in nodeSelector)
            {
                var key = rawKey?.Trim() ?? string.Empty;
                var value = rawValue?.Trim() ?? string.Empty;
                if (LabelRules.ValidateKey(key) is { } keyError)
                {
                    errors.Add(Error.Validation(InstanceTypeFields.NodeSelectorKey(key), keyError));
                }
                else if (LabelRules.ValidateValue(value) is { } valueError)
                {
                    errors.Add(Error.Validation(InstanceTypeFields.NodeSelectorKey(key), valueError));
                }
                else
                {
                    selector[key] = value;
                }
            }
        }

        var requestCpu = Amount(draft.RequestCpu, InstanceTypeFields.RequestCpu, "CPU request", cpu: true, studioChecks, errors);
        var requestMemory = Amount(draft.RequestMemory, InstanceTypeFields.RequestMemory, "memory request", cpu: false, studioChecks, errors);
        var limitCpu = Amount(draft.LimitCpu, InstanceTypeFields.LimitCpu, "CPU limit", cpu: true, studioChecks, errors);
        var limitMemory = Amount(draft.LimitMemory, InstanceTypeFields.LimitMemory, "memory limit", cpu: false, studioChecks, errors);

        if (!string.IsNullOrWhiteSpace(draft.RequestGpu))
        {
            errors.Add(Error.Validation(InstanceTypeFields.RequestGpu, "GPUs go in limits only (nvidia.com/gpu is an extended resource: its request is its limit). Move the GPU count to limits."));
        }

        long gpus = 0;
        if (!string.IsNullOrWhiteSpace(draft.LimitGpu))
        {
            var gpu = Quantity.Parse(draft.LimitGpu, out var gpuError);
            if (gpu is null)
            {
                errors.Add(Error.Validation(InstanceTypeFields.LimitGpu, $"The GPU limit {gpuError}."));
            }
            else if (!gpu.Value.IsInteger || gpu.Value.Value < 0)
            {
                errors.Add(Error.Validation(InstanceTypeFields.LimitGpu, $"The GPU limit must be a whole number of GPUs (0, 1, 2, …), not '{gpu.Value.Text}'."));
            }
            else if (gpu.Value.Value > 1024)
            {
                errors.Add(Error.Validation(InstanceTypeFields.LimitGpu, "The GPU limit must be at most 1024."));
            }
            else
            {
                gpus = (long)gpu.Value.Value;
            }
        }

        if (requestCpu is { } rc && limitCpu is { } lc && rc.CeilingMillis > lc.CeilingMillis)
        {
            errors.Add(Error.Validation(InstanceTypeFields.RequestCpu, $"The CPU request ({rc.Text} = {HumanUnits.Cpu(rc.CeilingMillis)}) is greater than the CPU limit ({lc.Text} = {HumanUnits.Cpu(lc.CeilingMillis)}); requests must be at most the limits."));
        }

        if (requestMemory is { } rm && limitMemory is { } lm && rm.CeilingUnits > lm.CeilingUnits)
        {
            errors.Add(Error.Validation(InstanceTypeFields.RequestMemory, $"The memory request ({rm.Text} = {HumanUnits.Bytes(rm.CeilingUnits)}) is greater than the memory limit ({lm.Text} = {HumanUnits.Bytes(lm.CeilingUnits)}); requests must be at most the limits."));
        }

        if (errors.Count > 0)
        {
            return Result<InstanceType>.Failure(errors);
        }

        return new InstanceType(
            name!,
            selector,
            new ResourceAmounts(requestCpu!.Value.CeilingMillis, requestMemory!.Value.CeilingUnits, 0),
            new ResourceAmounts(limitCpu!.Value.CeilingMillis, limitMemory!.Value.CeilingUnits, gpus))
        {
            RequestCpu = requestCpu.Value.Text,
            RequestMemory = requestMemory.Value.Text,
            LimitCpu = limitCpu.Value.Text,
            LimitMemory = limitMemory.Value.Text,
        };
    }

    private static Quantity? Amount(string? text, string field, string what, bool cpu, bool studioChecks, List<Error> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(Error.Validation(field, $"The {what} is required."));
            return null;
        }

        var quantity = Quantity.Parse(text, out var error);
        if (quantity is not { } q)
        {
            errors.Add(Error.Validation(field, $"The {what} {error}."));
            return null;
        }

        if (q.Value <= 0)
        {
            errors.Add(Error.Validation(field, $"The {what} must be greater than zero (it is '{q.Text}')."));
            return null;
        }

        if (studioChecks && !cpu && q.Text.EndsWith('m') && !q.Text.EndsWith("Mi", StringComparison.Ordinal))
        {
            errors.Add(Error.Validation(field, $"The {what} '{q.Text}' is in millibytes ({HumanUnits.Bytes(q.CeilingUnits)}); for mebibytes write '{q.Text[..^1]}Mi'."));
            return null;
        }

        if (studioChecks && !cpu && q.Value < 1024 * 1024)
        {
            errors.Add(Error.Validation(field, $"The {what} '{q.Text}' is {HumanUnits.Bytes(q.CeilingUnits)}; memory needs a unit, e.g. '{q.Text}Mi' or '{q.Text}Gi', and at least 1Mi."));
            return null;
        }

        return q;
    }
}
