namespace LazyMesh.AccessLogs;

/// <summary>
/// One Envoy access-log command operator, <c>%NAME%</c>, <c>%NAME(argument)%</c> or <c>%NAME(argument):length%</c>
/// (envoyproxy/envoy source/common/formatter/substitution_format_utility / the "Command operators" page).
/// </summary>
public sealed record EnvoyCommandOperator(string Name, string? Argument, int? MaxLength)
{
    /// <summary>The operator as written in a format string.</summary>
    public override string ToString() =>
        $"%{Name}{(Argument is null ? string.Empty : $"({Argument})")}{(MaxLength is { } length ? $":{length}" : string.Empty)}%";
}
