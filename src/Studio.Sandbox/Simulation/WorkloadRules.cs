using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// The documented rule set that decides how a simulated container behaves (see README "Simulated workloads").
/// Pod annotations win over command and image patterns, which win over the defaults.
/// </summary>
internal static partial class WorkloadRules
{
    public const string Prefix = "sandbox.studio/";

    [GeneratedRegex(@"\bsleep\s+(\d+(?:\.\d+)?|infinity)\b")]
    private static partial Regex SleepPattern();

    [GeneratedRegex(@"\bexit\s+(\d+)\b")]
    private static partial Regex ExitPattern();

    [GeneratedRegex(@"\becho\s+(?<t>""[^""]*""|'[^']*'|[^;&|]+)")]
    private static partial Regex EchoPattern();

    [GeneratedRegex(@"train|torchrun|deepspeed|accelerate launch|horovod|finetune|fine-tune", RegexOptions.IgnoreCase)]
    private static partial Regex TrainingPattern();

    [GeneratedRegex(@"vllm|triton|torchserve|kserve|text-generation|tgi|serve|server|inference|nginx|httpd|uvicorn|gunicorn", RegexOptions.IgnoreCase)]
    private static partial Regex ServerPattern();

    [GeneratedRegex(@"(^|[/:_.-])(missing|does-not-exist|doesnotexist|nonexistent)([/:_.-]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex MissingImagePattern();

    public static ContainerRule Resolve(JsonObject pod, JsonObject container, Func<string, bool>? imageFails = null)
    {
        var ann = pod["metadata"]?["annotations"] as JsonObject;
        var name = (string?)container["name"] ?? "";
        string? A(string key) => (string?)ann?[Prefix + key + "." + name] ?? (string?)ann?[Prefix + key];
        var image = (string?)container["image"] ?? "";
        var command = Kubelet.WithoutEnvironmentPrelude(string.Join(' ', ((container["command"] as JsonArray ?? []).Concat(container["args"] as JsonArray ?? [])).Select(x => x?.ToString() ?? "")));
        var restartPolicy = (string?)pod["spec"]?["restartPolicy"] ?? "Always";

        var kind = A("workload") switch
        {
            "training" => WorkloadKind.Training,
            "server" => WorkloadKind.ModelServer,
            "generic" => WorkloadKind.Generic,
            _ => TrainingPattern().IsMatch(image + " " + command) ? WorkloadKind.Training
                : ServerPattern().IsMatch(image + " " + command) ? WorkloadKind.ModelServer
                : EchoPattern().IsMatch(command) ? WorkloadKind.Echo
                : WorkloadKind.Generic,
        };

        double? run = kind switch
        {
            WorkloadKind.Training => 60,
            WorkloadKind.ModelServer => null,
            WorkloadKind.Echo => 1,
            _ => restartPolicy == "Always" ? null : 3,
        };
        var exit = 0;
        if (SleepPattern().Match(command) is { Success: true } sleep)
        {
            run = sleep.Groups[1].Value == "infinity" ? null : double.Parse(sleep.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (ExitPattern().Match(command) is { Success: true } ex)
        {
            exit = int.Parse(ex.Groups[1].Value, CultureInfo.InvariantCulture);
            run ??= 1;
        }

        if (A("run-seconds") is { } rs)
        {
            run = rs is "forever" or "infinity" ? null : double.Parse(rs, CultureInfo.InvariantCulture);
        }

        if (A("exit-code") is { } ec)
        {
            exit = int.Parse(ec, CultureInfo.InvariantCulture);
        }

        var readyAfter = (double?)container["readinessProbe"]?["initialDelaySeconds"] ?? 0;
        if (container["readinessProbe"] is JsonObject rp)
        {
            readyAfter += (double?)rp["periodSeconds"] ?? 10;
        }

        if (A("ready-after-seconds") is { } ra)
        {
            readyAfter = double.Parse(ra, CultureInfo.InvariantCulture);
        }

        double? livenessFails = null;
        if (A("liveness") == "fail")
        {
            var lp = container["livenessProbe"] as JsonObject;
            livenessFails = ((double?)lp?["initialDelaySeconds"] ?? 0) + (((double?)lp?["periodSeconds"] ?? 10) * ((double?)lp?["failureThreshold"] ?? 3));
        }

        var echo = kind == WorkloadKind.Echo ? EchoPattern().Match(command).Groups["t"].Value.Trim().Trim('"', '\'') : null;
        return new ContainerRule(
            PullSeconds: A("pull-seconds") is { } ps ? double.Parse(ps, CultureInfo.InvariantCulture) : 2,
            RunSeconds: run,
            ExitCode: exit,
            MemoryBytes: A("memory") is { } mem ? Quantity.Whole(mem) : 0,
            FailTimes: A("fail-times") is { } ft ? int.Parse(ft, CultureInfo.InvariantCulture) : 0,
            ImageMissing: A("image-pull") == "fail" || MissingImagePattern().IsMatch(image) || (imageFails?.Invoke(image) ?? false),
            ReadyAfterSeconds: readyAfter,
            ReadinessFails: A("readiness") == "fail",
            LivenessFailsAfterSeconds: livenessFails,
            Kind: kind,
            EchoText: echo);
    }
}
