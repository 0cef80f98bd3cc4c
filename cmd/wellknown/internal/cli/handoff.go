package cli

import (
	"github.com/acme/wellknown/internal/handoff"
)

var handoffCommand = command{
	name:    "handoff",
	args:    "[--env NAME]… [--json]",
	summary: "print the redirect URL, iOS entitlements and Android intent filter per environment",
	help: `Prints, per environment (default: all), the values the next people need,
derived from cdk.json and the link files: the redirect URL for the Alexa
developer console ("Your Redirect URLs") and for the identity provider's
callback URLs (byte for byte the same, trailing slash included), the iOS
associated-domains entitlement lines with the app IDs they match, and the
Android intent filter with its packages and fingerprints. While a custom
domain keeps the S3 host public ("keepS3Public", a migration), the redirect
URLs and associated domains list both hosts, the domain's first, and the text
names the S3 host as the one being migrated away from.

Exit 1 when a selected environment's files are invalid (nothing printed),
2 for usage or configuration errors.`,
	run: runHandoff,
}

func runHandoff(s *session, c command, args []string) error {
	fs := s.flags(c)
	var envs envList
	fs.Var(&envs, "env", "environment `NAME` (repeatable; default: all)")
	s.jsonFlag(fs, "print the values as JSON")
	pos, err := s.parse(c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError(c, "unexpected argument %q", pos[0])
	}
	// Values derived from invalid files would be handed on as if correct.
	res, err := s.loadValidTargets(c, envs.sel, "fix the files above first; nothing was printed")
	if err != nil {
		return err
	}
	var out []handoff.Env
	for _, t := range res.Targets {
		e, err := handoff.Build(t)
		if err != nil {
			return err
		}
		out = append(out, e)
	}
	write := handoff.WriteText
	if s.json {
		write = handoff.WriteJSON
	}
	return write(s.stdout, out)
}
