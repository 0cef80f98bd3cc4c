package linkfile

import (
	"errors"
	"slices"
)

// AASAInfo is what an apple-app-site-association file associates.
type AASAInfo struct {
	AppLinksAppIDs       []string // from applinks.details (appID and appIDs), de-duplicated, in file order
	WebCredentialsAppIDs []string
	AppClipsAppIDs       []string
}

// AndroidApp is one android_app statement.
type AndroidApp struct {
	PackageName  string
	Fingerprints []string
	Relations    []string
}

// AssetLinksInfo is what an assetlinks.json file associates.
type AssetLinksInfo struct {
	AndroidApps []AndroidApp // one per android_app statement, in file order
	WebSites    []string     // "web" targets, in file order
}

// ParseAASA returns the app IDs of a file that validates without errors;
// otherwise the error joins the error problems.
func ParseAASA(data []byte) (AASAInfo, error) {
	c, root := validateAASA(AppleAppSiteAssociation, data)
	if err := problemsErr(c.ps); err != nil {
		return AASAInfo{}, err
	}
	var info AASAInfo
	if al, ok := root.get("applinks"); ok {
		details, _ := al.get("details")
		for _, d := range details.elems {
			if id, ok := d.get("appID"); ok {
				info.AppLinksAppIDs = appendNew(info.AppLinksAppIDs, id.str)
			}
			if ids, ok := d.get("appIDs"); ok {
				for _, id := range ids.elems {
					info.AppLinksAppIDs = appendNew(info.AppLinksAppIDs, id.str)
				}
			}
		}
	}
	info.WebCredentialsAppIDs = sectionApps(root, "webcredentials")
	info.AppClipsAppIDs = sectionApps(root, "appclips")
	return info, nil
}

func sectionApps(root *node, section string) []string {
	var out []string
	if s, ok := root.get(section); ok {
		apps, _ := s.get("apps")
		for _, a := range apps.elems {
			out = appendNew(out, a.str)
		}
	}
	return out
}

func appendNew(ss []string, s string) []string {
	if slices.Contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

// ParseAssetLinks returns the targets of a file that validates without
// errors; otherwise the error joins the error problems.
func ParseAssetLinks(data []byte) (AssetLinksInfo, error) {
	c, root := validateAssetLinks(AssetLinks, data)
	if err := problemsErr(c.ps); err != nil {
		return AssetLinksInfo{}, err
	}
	var info AssetLinksInfo
	for _, st := range root.elems {
		t := st.fields["target"]
		switch t.fields["namespace"].str {
		case "android_app":
			app := AndroidApp{PackageName: t.fields["package_name"].str}
			for _, f := range t.fields["sha256_cert_fingerprints"].elems {
				app.Fingerprints = append(app.Fingerprints, f.str)
			}
			for _, r := range st.fields["relation"].elems {
				app.Relations = append(app.Relations, r.str)
			}
			info.AndroidApps = append(info.AndroidApps, app)
		case "web":
			info.WebSites = append(info.WebSites, t.fields["site"].str)
		}
	}
	return info, nil
}

func problemsErr(ps []Problem) error {
	var errs []error
	for _, p := range ps {
		if p.Severity == Error {
			errs = append(errs, p)
		}
	}
	return errors.Join(errs...)
}
