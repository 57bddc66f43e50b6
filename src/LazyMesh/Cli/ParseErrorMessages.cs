using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LazyMesh.Cli;

/// <summary>
/// The command line's parse errors as LazyMesh prints them: each names the option it is about
/// (<c>--batch: 'abc' is not a whole number</c>) and says what would be accepted, never a .NET type name.
/// </summary>
public static class ParseErrorMessages
{
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var messages = new List<string>();
        foreach (var error in parse.Errors)
        {
            var message = Describe(error);
            if (!messages.Contains(message, StringComparer.Ordinal))
            {
                messages.Add(message);
            }
        }

        // "Required command was not provided" only matters when nothing else is wrong.
        if (messages.Count > 1)
        {
            messages.RemoveAll(static m => m.StartsWith("no command given", StringComparison.Ordinal));
        }

        return messages;
    }

    public static string Describe(ParseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var option = OptionOf(error.SymbolResult);
        if (option is null)
        {
            return Reword(error.Message);
        }

        // LazyMesh's own validators already name the option.
        if (option.Aliases.Append(option.Name).Any(a => error.Message.StartsWith(a, StringComparison.Ordinal))
            || error.Message.StartsWith("unknown option", StringComparison.Ordinal))
        {
            return error.Message;
        }

        if (error.SymbolResult is OptionResult { IdentifierTokenCount: 0 })
        {
            return $"{option.Name} is required";
        }

        var tokens = error.SymbolResult!.Tokens;
        if (tokens.Count > 1 && option.Arity.MaximumNumberOfValues == 1)
        {
            return $"{option.Name}: given more than once ({string.Join(", ", tokens.Select(static t => $"'{t.Value}'"))}); give it once";
        }

        if (tokens.Count == 0)
        {
            var accepted = Accepted(option);
            return accepted is null ? $"{option.Name}: needs a value" : $"{option.Name}: needs a value ({accepted})";
        }

        var value = tokens[^1].Value;
        return Accepted(option) is { } what
            ? $"{option.Name}: '{value}' is not {what}"
            : $"{option.Name}: '{value}' is not a valid value";
    }

    /// <summary>What <paramref name="option"/> accepts, in words; null when it is free text.</summary>
    public static string? Accepted(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        if (type.IsArray)
        {
            type = type.GetElementType()!;
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong))
        {
            return "a whole number" + (type == typeof(int) ? " (up to " + int.MaxValue.ToString("#,0", CultureInfo.InvariantCulture) + ")" : string.Empty);
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        // Options limited with AcceptOnlyFromAmong offer exactly those values as completions.
        var values = option.GetCompletions(CompletionContext.Empty).Select(static c => c.Label).ToList();
        return values.Count > 0 ? "one of " + string.Join(", ", values) : null;
    }

    private static Option? OptionOf(SymbolResult? result) => result switch
    {
        OptionResult o => o.Option,
        ArgumentResult { Parent: OptionResult o } => o.Option,
        _ => null,
    };

    /// <summary>System.CommandLine's own wording for errors that are not about one option's value.</summary>
    private static string Reword(string message)
    {
        const string unrecognized = "Unrecognized command or argument ";
        if (message.StartsWith(unrecognized, StringComparison.Ordinal))
        {
            var token = message[unrecognized.Length..].TrimEnd('.');
            return token.StartsWith("'-", StringComparison.Ordinal) ? $"unknown option {token}" : $"unexpected argument {token}";
        }

        if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
        {
            return "no command given";
        }

        return message;
    }
}
