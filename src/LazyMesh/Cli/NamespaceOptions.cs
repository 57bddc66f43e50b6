using System.CommandLine;
using LazyMesh.Rendering;

namespace LazyMesh.Cli;

/// <summary>
/// kubectl's <c>-n</c>/<c>--namespace</c> and <c>-A</c>/<c>--all-namespaces</c>, the same on every command that lists or
/// filters by namespace. Without either, a command covers every namespace (unless it asks for an explicit choice).
/// </summary>
public sealed class NamespaceOptions
{
    private readonly bool _choiceRequired;

    /// <param name="what">What the namespace selects, for the help text ("Only lazy workloads in this namespace").</param>
    /// <param name="repeatable">Whether <c>-n</c> may be given several times.</param>
    /// <param name="choiceRequired">Whether one of <c>-n</c> or <c>-A</c> must be given (for commands that delete).</param>
    /// <param name="allAliases">Older spellings of <c>-A</c> kept working (e.g. <c>--all</c>).</param>
    public NamespaceOptions(string what, bool repeatable = false, bool choiceRequired = false, params string[] allAliases)
    {
        _choiceRequired = choiceRequired;
        Namespace = new Option<string[]>("--namespace", "-n")
        {
            Description = what + (repeatable ? " (repeatable)" : string.Empty),
            AllowMultipleArgumentsPerToken = false,
            HelpName = "NAMESPACE",
        };
        AllNamespaces = new Option<bool>("--all-namespaces", ["-A", .. allAliases])
        {
            Description = choiceRequired ? "Every namespace" : "Every namespace (the default)",
        };
        Namespace.Validators.Add(result =>
        {
            if (!repeatable && result.Tokens.Count > 1)
            {
                result.AddError($"--namespace: give one namespace, not {result.Tokens.Count} (or -A for all)");
                return;
            }

            foreach (var token in result.Tokens)
            {
                if (!KubernetesNames.IsDns1123Label(token.Value))
                {
                    result.AddError($"--namespace: '{token.Value}' is not a namespace name (lower-case letters, digits and '-', at most 63)");
                }
            }
        });
    }

    public Option<string[]> Namespace { get; }

    public Option<bool> AllNamespaces { get; }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Namespace);
        command.Options.Add(AllNamespaces);
        command.Validators.Add(result =>
        {
            var namespaces = result.GetValue(Namespace) ?? [];
            var all = result.GetValue(AllNamespaces);
            if (namespaces.Length > 0 && all)
            {
                result.AddError("--namespace and --all-namespaces: give one or the other");
            }
            else if (_choiceRequired && namespaces.Length == 0 && !all)
            {
                result.AddError($"{command.Name}: give --namespace NAMESPACE or --all-namespaces (-A)");
            }
        });
    }

    /// <summary>The namespaces asked for; empty for all.</summary>
    public IReadOnlyList<string> Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(AllNamespaces) ? [] : parse.GetValue(Namespace) ?? [];
    }
}
