package rules

// What keeps state the Flask secret key signs: Flask's own session, and
// the extensions and libraries known to keep a login, a CSRF token or an
// OAuth state there, or to sign tokens with the key (positive evidence
// for the gate); the extensions known to keep nothing there.

import "bytes"

// sessionNames are flask's names that read or write the signed session:
// true for the session itself, false for flashed messages, which put
// only a message in it (a forged cookie shows a message, it logs no one
// in): not evidence that the key protects anything.
var sessionNames = map[string]bool{"session": true, "flash": false, "get_flashed_messages": false}

// noSecretExt are Flask extensions known not to sign anything with
// SECRET_KEY; any other flask_* import (or a signing library) is taken as
// a user of the key.
var noSecretExt = map[string]bool{
	"flask_sqlalchemy": true, "flask_migrate": true, "flask_cors": true, "flask_restful": true,
	"flask_restx": true, "flask_restplus": true, "flask_marshmallow": true, "flask_caching": true,
	"flask_limiter": true, "flask_mail": true, "flask_compress": true, "flask_babel": true,
	"flask_babelex": true, "flask_apispec": true, "flask_smorest": true, "flask_script": true,
	"flask_executor": true, "flask_opentracing": true, "flask_log_request_id": true,
	"flask_healthz": true, "flask_redis": true, "flask_pymongo": true, "flask_mongoengine": true,
	"flask_swagger_ui": true, "flask_swagger": true, "flask_testing": true, "flask_assets": true,
	"flask_moment": true, "flask_bootstrap": true, "flask_uploads": true, "flask_injector": true,
	// Flask-SocketIO keeps Flask's own session for the socket: a user of
	// the key only when the app uses the session, which is judged as such.
	"flask_socketio": true,
	// flask_jwt_oidc verifies an identity provider's tokens with its JWKS.
	"flask_jwt_oidc": true,
	// Flask-Login keeps the user in the session unless its only loader is
	// a request_loader (loginKeepsNothing).
	"flask_login": true,
}

// signingLibs sign with the app's key when given it, or keep state in the
// session (authlib's Flask client); a signer given the key by project code
// reads it, which readsSecretKey sees.
var signingLibs = map[string]bool{"itsdangerous": true, "authlib": true}

// signingExt are Flask extensions known to keep what protects the app in
// state the key signs (a login, a CSRF token, an OAuth state, a server-side
// session's signed id) or to sign tokens with it, each with the project
// name it needs ("" when importing it is enough): Flask-Admin signs only
// through its SecureForm's CSRF token. An extension in neither table is no
// evidence of a use: the key is then judged by the rest of the tree.
var signingExt = map[string]string{
	"flask_wtf": "", "flask_security": "", "flask_user": "", "flask_session": "", "flask_kvsession": "",
	"flask_dance": "", "flask_oauthlib": "", "flask_oauth": "", "flask_openid": "", "flask_oidc": "",
	"flask_pyoidc": "", "flask_principal": "", "flask_appbuilder": "", "flask_seasurf": "", "flask_jwt": "",
	"flask_jwt_extended": "", "flask_praetorian": "", "flask_simplelogin": "", "flask_multipass": "",
	"flask_cas": "", "flask_saml": "", "flask_saml2": "", "flask_github": "", "flask_social": "",
	"flask_ldap3_login": "", "flask_paranoid": "", "flask_csrf": "", "flask_csrf_protect": "",
	"flask_admin": "SecureForm",
}

// treeNames: a module of the trees imports name (from flask_admin.form
// import SecureForm) or uses it as an attribute (form.SecureForm).
func (ps *Pass) treeNames(trees map[string]bool, name string) bool {
	for _, o := range ps.Project.Modules {
		if !trees[ps.Project.RootOf(o)] {
			continue
		}
		for _, imp := range o.Imports {
			if imp.Name == name {
				return true
			}
		}
		if bytes.Contains(o.File.Src, []byte("."+name)) {
			return true
		}
	}
	return false
}
